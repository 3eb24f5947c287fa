import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { newApiKey, type Scope, scopes } from "../../server/auth/api-keys.ts";

export const keysUsage = `rta keys new --id NAME [--scopes chat,metrics,admin] [--file FILE]
  prints a new API key once, and its entry for RTA_API_KEYS_FILE (only the key's SHA-256 is kept);
  with --file, adds the entry to that file (created if missing). Scopes: chat (/ws, /v1), metrics
  (/metrics, /health details), admin. Default: chat.`;

export async function keysCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { id: { type: "string" }, scopes: { type: "string" }, file: { type: "string" } },
  });
  if (positionals[0] !== "new" || !values.id) {
    process.stderr.write(`${keysUsage}\n`);
    return 2;
  }
  const wanted = (values.scopes ?? "chat").split(",").map((scope) => scope.trim());
  const unknown = wanted.filter((scope) => !scopes.includes(scope as Scope));
  if (unknown.length) {
    process.stderr.write(`rta keys: unknown scope ${unknown.join(", ")} (known: ${scopes.join(", ")})\n`);
    return 2;
  }
  const { key, entry } = newApiKey(values.id, wanted as Scope[]);
  if (values.file) {
    const file = existsSync(values.file)
      ? (JSON.parse(readFileSync(values.file, "utf8")) as { keys: Array<{ id: string }> })
      : { keys: [] };
    if (file.keys.some((existing) => existing.id === entry.id)) {
      process.stderr.write(`rta keys: ${values.file} already has a key with id ${entry.id}\n`);
      return 2;
    }
    file.keys.push(entry);
    writeFileSync(values.file, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }
  process.stdout.write(
    `key (shown once; give it to the client): ${key}\n` +
      (values.file ? `added to ${values.file}\n` : `entry for RTA_API_KEYS_FILE: ${JSON.stringify(entry)}\n`),
  );
  return 0;
}
