/** Structured logging: a message and optional fields. The runtime's logger never prints secret-looking fields. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds these fields to every line (a turn's `sessionId` and `turnId`). */
  child?(bindings: Record<string, unknown>): Logger;
}
