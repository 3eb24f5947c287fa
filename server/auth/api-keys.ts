import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";

/** What a request may do once its key is known. */
export type Scope = "chat" | "metrics" | "admin";
export const scopes: readonly Scope[] = ["chat", "metrics", "admin"];

/** Who is calling: the owner of the sessions they create, and what they may do. */
export interface Principal {
  /** The key's id (or a token's subject): sessions belong to it and are unreachable with another. */
  owner: string;
  scopes: ReadonlySet<Scope>;
}

/** The caller when the server runs without keys (loopback only, see `rta serve`). */
export const localPrincipal: Principal = { owner: "local", scopes: new Set(scopes) };

const keysFileSchema = z.object({
  keys: z
    .array(
      z.object({
        id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "ids are 1-64 characters of A-Z a-z 0-9 _ . -"),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 is the key's SHA-256 as 64 lower-case hex digits"),
        scopes: z
          .array(z.enum(["chat", "metrics", "admin"]))
          .min(1)
          .default(["chat"]),
      }),
    )
    .min(1),
});

export const hashApiKey = (key: string): string => createHash("sha256").update(key).digest("hex");

/** A new random key (32 bytes, base64url: a valid WebSocket subprotocol token) and its file entry. */
export function newApiKey(
  id: string,
  keyScopes: readonly Scope[] = ["chat"],
): {
  key: string;
  entry: { id: string; sha256: string; scopes: Scope[] };
} {
  const key = `rta_${randomBytes(32).toString("base64url")}`;
  return { key, entry: { id, sha256: hashApiKey(key), scopes: [...keyScopes] } };
}

/**
 * The server's API keys, held as SHA-256 hashes only: `RTA_API_KEYS_FILE` (JSON `{"keys": [{"id",
 * "sha256", "scopes"}]}`, written by `rta keys new`) and/or `RTA_API_KEY` (one key, id "default", every
 * scope; hashed as it is read). A key is found by its hash, so comparing never depends on the key.
 */
export class ApiKeys {
  readonly #byHash = new Map<string, Principal>();

  constructor(entries: readonly { id: string; sha256: string; scopes: readonly Scope[] }[] = []) {
    for (const entry of entries) this.#byHash.set(entry.sha256, { owner: entry.id, scopes: new Set(entry.scopes) });
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): ApiKeys {
    const entries: { id: string; sha256: string; scopes: readonly Scope[] }[] = [];
    if (env.RTA_API_KEYS_FILE) {
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(env.RTA_API_KEYS_FILE, "utf8"));
      } catch (error) {
        throw new Error(
          `RTA_API_KEYS_FILE (${env.RTA_API_KEYS_FILE}) could not be read as JSON: ${(error as Error).message}`,
        );
      }
      const parsed = keysFileSchema.safeParse(raw);
      if (!parsed.success)
        throw new Error(
          `RTA_API_KEYS_FILE (${env.RTA_API_KEYS_FILE}): ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        );
      entries.push(...parsed.data.keys);
    }
    if (env.RTA_API_KEY) entries.push({ id: "default", sha256: hashApiKey(env.RTA_API_KEY), scopes });
    return new ApiKeys(entries);
  }

  /** Whether any key is configured; without keys the server is open and must stay on loopback. */
  get enabled(): boolean {
    return this.#byHash.size > 0;
  }

  /** The key's principal, or undefined for an unknown or missing key. */
  authenticate(key: string | undefined): Principal | undefined {
    return key ? this.#byHash.get(hashApiKey(key)) : undefined;
  }
}
