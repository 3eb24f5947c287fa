import { pino, stdTimeFunctions, type Logger as PinoLogger } from "pino";
import type { Logger } from "../contracts/logger.ts";
import { redactSecrets } from "../contracts/redact-secrets.ts";
import { redactPiiDeep } from "../safety/pii.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const secretKeyPattern = /(key|token|secret|password|authorization|cookie)/i;

export interface LoggerOptions {
  level?: LogLevel;
  name?: string;
  /** Where the JSON lines go (default: stderr). */
  destination?: { write(line: string): unknown };
}

/**
 * Structured JSON lines through pino, on stderr: `time`, `level` (a name), `name`, `message` and the
 * fields, with a child's bindings (`sessionId`, `turnId`) on each of its lines. Fields whose names
 * look like secrets are never printed, secret values anywhere in a line (registered keys, key and
 * token shapes) are redacted, and so is personal data (cards, IBANs, emails, phone numbers, SSNs,
 * DNI/NIE) in field values.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? process.stderr;
  const base = pino(
    {
      level: options.level ?? "info",
      base: { name: options.name ?? "rta" },
      messageKey: "message",
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    // Secret values are redacted in the written line, wherever they stand (a message, a nested field).
    { write: (line: string) => destination.write(redactSecrets(line)) },
  );
  return wrap(base);
}

function wrap(logger: PinoLogger): Logger {
  const write = (level: "debug" | "info" | "warn" | "error") => (message: string, fields?: Record<string, unknown>) => {
    if (!logger.isLevelEnabled(level)) return;
    if (fields) logger[level](cleaned(fields), message);
    else logger[level](message);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (bindings) => lazyChild(logger, bindings),
  };
}

/**
 * A child made on its first line: every turn has one, most write nothing at the server's level, and
 * a pino child (with its bindings cleaned) costs more than the turn's own bookkeeping.
 */
function lazyChild(logger: PinoLogger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const made = () => {
    child ??= wrap(logger.child(cleaned(bindings)));
    return child;
  };
  const write = (level: "debug" | "info" | "warn" | "error") => (message: string, fields?: Record<string, unknown>) => {
    if (logger.isLevelEnabled(level)) made()[level](message, fields);
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => made().child!(more),
  };
}

/** Fields with secret-looking names replaced and personal data in values redacted. */
function cleaned(fields: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    result[key] = secretKeyPattern.test(key) ? "[redacted]" : redactPiiDeep(value);
  return result;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };
