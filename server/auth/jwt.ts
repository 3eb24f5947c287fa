import { readFileSync } from "node:fs";
import { type CryptoKey, importSPKI, jwtVerify } from "jose";
import { type Principal, type Scope, scopes } from "./api-keys.ts";

export interface JwtSettings {
  /** HS256 shared secret. */
  secret?: string;
  /** A PEM public key (RS256 or ES256), for tokens signed by an identity provider. */
  publicKeyPem?: string;
  algorithm?: "RS256" | "ES256";
  issuer?: string;
  audience?: string;
}

/**
 * Verifies bearer JWTs as an alternative to API keys: the owner is `jwt:<sub>`, the scopes come from the
 * `scope` claim (space-separated; default "chat"), and `exp`/`nbf` (and `iss`/`aud` when configured)
 * must hold. Configure with RTA_JWT_SECRET (HS256) or RTA_JWT_PUBLIC_KEY_FILE (+ RTA_JWT_ALGORITHM),
 * and optionally RTA_JWT_ISSUER, RTA_JWT_AUDIENCE.
 */
export class JwtVerifier {
  readonly #settings: JwtSettings;
  #key: Promise<CryptoKey | Uint8Array> | undefined;

  constructor(settings: JwtSettings) {
    if (!settings.secret && !settings.publicKeyPem) throw new Error("A JWT verifier needs a secret or a public key.");
    this.#settings = settings;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): JwtVerifier | undefined {
    const publicKeyPem = env.RTA_JWT_PUBLIC_KEY_FILE ? readFileSync(env.RTA_JWT_PUBLIC_KEY_FILE, "utf8") : undefined;
    if (!env.RTA_JWT_SECRET && !publicKeyPem) return undefined;
    return new JwtVerifier({
      ...(env.RTA_JWT_SECRET ? { secret: env.RTA_JWT_SECRET } : {}),
      ...(publicKeyPem ? { publicKeyPem } : {}),
      ...(env.RTA_JWT_ALGORITHM === "ES256" ? { algorithm: "ES256" as const } : {}),
      ...(env.RTA_JWT_ISSUER ? { issuer: env.RTA_JWT_ISSUER } : {}),
      ...(env.RTA_JWT_AUDIENCE ? { audience: env.RTA_JWT_AUDIENCE } : {}),
    });
  }

  /** The token's principal, or undefined when it does not verify (signature, expiry, issuer, audience, subject). */
  async verify(token: string): Promise<Principal | undefined> {
    const { secret, publicKeyPem, issuer, audience } = this.#settings;
    const algorithm = secret ? "HS256" : (this.#settings.algorithm ?? "RS256");
    this.#key ??= secret ? Promise.resolve(new TextEncoder().encode(secret)) : importSPKI(publicKeyPem!, algorithm);
    try {
      const { payload } = await jwtVerify(token, await this.#key, {
        algorithms: [algorithm],
        ...(issuer ? { issuer } : {}),
        ...(audience ? { audience } : {}),
      });
      if (typeof payload.sub !== "string" || payload.sub.length === 0) return undefined;
      const claimed = typeof payload.scope === "string" ? payload.scope.split(" ") : ["chat"];
      return {
        owner: `jwt:${payload.sub}`,
        scopes: new Set(claimed.filter((scope): scope is Scope => scopes.includes(scope as Scope))),
      };
    } catch {
      return undefined;
    }
  }
}

/** Whether a bearer token is a JWT (three base64url parts) rather than an API key. */
export const looksLikeJwt = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
