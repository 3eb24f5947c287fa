import type { Logger } from "../contracts/logger.ts";
import { redactSecrets } from "../contracts/redact-secrets.ts";
import { redactPiiDeep } from "../safety/pii.ts";

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

const secretKeyPattern = /(key|token|secret|password|authorization|cookie)/i;

/**
 * Structured JSON lines on stderr. Fields whose names look like secrets are never printed, secret
 * values anywhere in a line (registered keys, key and token shapes) are redacted, and so is personal
 * data (cards, IBANs, emails, phone numbers, SSNs, DNI/NIE) in field values.
 */
export function createLogger(options: { level?: LogLevel; name?: string } = {}): Logger {
  const threshold = levels[options.level ?? "info"];
  const write = (level: Exclude<LogLevel, "silent">, message: string, fields?: Record<string, unknown>) => {
    if (levels[level] < threshold) return;
    const line: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      name: options.name ?? "rta",
      message,
    };
    // Personal data in field values (a user's message in an error) is redacted like secrets.
    for (const [key, value] of Object.entries(fields ?? {}))
      line[key] = secretKeyPattern.test(key) ? "[redacted]" : redactPiiDeep(value);
    process.stderr.write(`${redactSecrets(JSON.stringify(line))}\n`);
  };
  return {
    debug: (message, fields) => write("debug", message, fields),
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
