const marker = Symbol.for("realtime-agent.client-error");

/** Every error the client throws has one of these stable codes (listed in docs/protocol.md). */
export const clientErrorCodes = {
  FRAME_NOT_JSON: "A server frame is not valid JSON.",
  FRAME_INVALID: "A server frame does not match protocol rta.v1.",
  FRAME_TYPE_UNKNOWN: "A server frame has a valid envelope but a type this client does not know.",
  CONNECTION_FAILED: "The WebSocket connection could not be opened.",
  CONNECTION_CLOSED: "The connection closed before the turn ended, and the client did not or could not resume.",
  TURN_NOT_SENT: "The turn was cancelled before its message was sent.",
  FEEDBACK_REFUSED: "The server refused the feedback (the message names the server's error code).",
} as const;

export type ClientErrorCode = keyof typeof clientErrorCodes;

export class RealtimeClientError extends Error {
  readonly [marker] = true;
  readonly code: ClientErrorCode;
  /** For FRAME_TYPE_UNKNOWN: the frame's sequence number, so a reader can count it as seen. */
  readonly seq: number | undefined;

  constructor(code: ClientErrorCode, message: string, options: { seq?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RealtimeClientError";
    this.code = code;
    this.seq = options.seq;
  }

  /** True for errors of this class, also across bundles (it checks a Symbol.for marker). */
  static isInstance(value: unknown): value is RealtimeClientError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}
