import type { IncomingMessage } from "node:http";
import { ApiKeys, localPrincipal, type Principal, type Scope } from "./api-keys.ts";
import { type JwtVerifier, looksLikeJwt } from "./jwt.ts";

/** The subprotocol a WebSocket client offers with its key, for browsers, which cannot set headers. */
export const keyProtocolPrefix = "rta.key.";

/** The key a request carries: `Authorization: Bearer <key>`, or a `rta.key.<key>` WebSocket subprotocol. */
export function requestKey(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith("Bearer ")) return authorization.slice("Bearer ".length).trim();
  const offered = request.headers["sec-websocket-protocol"];
  for (const protocol of (offered ?? "").split(",").map((value) => value.trim()))
    if (protocol.startsWith(keyProtocolPrefix)) return protocol.slice(keyProtocolPrefix.length);
  return undefined;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; status: 401 | 403; reason: string };

/** The server's ways of knowing a caller: API keys and, optionally, JWTs (a bearer token with three parts). */
export class Authenticator {
  constructor(
    readonly keys: ApiKeys = new ApiKeys(),
    readonly jwt?: JwtVerifier,
  ) {}

  /** Whether callers must identify themselves; without keys or JWTs everyone is the local owner. */
  get enabled(): boolean {
    return this.keys.enabled || this.jwt !== undefined;
  }

  async principalOf(token: string | undefined): Promise<Principal | undefined> {
    if (!token) return undefined;
    if (this.jwt && looksLikeJwt(token)) return this.jwt.verify(token);
    return this.keys.authenticate(token);
  }
}

/** Who the request is, and whether it may use `scope`: everyone is the local owner when nothing is configured. */
export async function authenticateRequest(
  request: IncomingMessage,
  auth: Authenticator,
  scope: Scope,
): Promise<Authentication> {
  if (!auth.enabled) return { ok: true, principal: localPrincipal };
  const principal = await auth.principalOf(requestKey(request));
  if (!principal) return { ok: false, status: 401, reason: "Invalid or missing API key or token." };
  if (!principal.scopes.has(scope)) return { ok: false, status: 403, reason: `This key lacks the "${scope}" scope.` };
  return { ok: true, principal };
}

/**
 * Whether a browser page from `Origin` may open a WebSocket here: any origin in `allowed` ("*" allows
 * all), else only the server's own (same host and port). Requests without Origin (not from a browser)
 * pass: the key, when configured, is what guards them. This is what stops another site's page from
 * driving a server on localhost (cross-site WebSocket hijacking).
 */
export function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowed.includes("*") || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
