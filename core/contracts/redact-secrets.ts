/**
 * Secrets the process holds (API keys from the environment), registered where they are read, and
 * the shapes common keys and tokens have. Every error message and log line passes through
 * `redactSecrets`, so an upstream service that echoes a key back cannot carry it to frames, /v1
 * answers, logs or `rta providers`.
 */
const registered = new Set<string>();

/** Marks a value as secret wherever it appears later (values under 8 characters are not secrets). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) registered.add(value);
}

const shapes: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic
  /\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}/g, // OpenAI
  /\brta_[A-Za-z0-9_-]{20,}/g, // this server's keys
  /\bAIza[0-9A-Za-z_-]{20,}/g, // Google
  /\b(?:ghp|gho|github_pat)_[A-Za-z0-9_]{20,}/g, // GitHub
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
];
const labelled =
  /((?:bearer|api[_-]?key|x-api-key|token|secret|password)["']?(?:\s*[:=]\s*|\s+)["']?)([^\s"'&,;]{8,})/gi;

export function redactSecrets(text: string): string {
  let redacted = text;
  for (const secret of registered) if (redacted.includes(secret)) redacted = redacted.replaceAll(secret, "[redacted]");
  for (const shape of shapes) redacted = redacted.replace(shape, "[redacted]");
  return redacted.replace(labelled, (_, label: string, value: string) =>
    value === "[redacted]" ? `${label}${value}` : `${label}[redacted]`,
  );
}
