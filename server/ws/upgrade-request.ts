import { randomUUID } from "node:crypto";
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { type ErrorCode, errorCodes } from "realtime-agent";
import { localPrincipal } from "../auth/api-keys.ts";
import { Authenticator, authenticateRequest, originAllowed } from "../auth/request-auth.ts";

/** Who asks to connect, to which session, and from where in its stream. */
export interface UpgradeRequest {
  /** What limits count by: the key's owner, or the address when the server has no keys. */
  client: string;
  owner: string;
  /** The session's name as the client knows it. */
  name: string;
  /** The server chose the name (`/ws`); the client is told with `session_ready`. */
  issued: boolean;
  /** `?last_seq=N`: replay the frames after N first. */
  lastSeen: number | undefined;
}

export interface UpgradeRefusal {
  code: ErrorCode;
  reason: string;
}

const sessionPathPattern = /^\/ws\/([A-Za-z0-9_.:-]{1,128})$/;
const noAuth = new Authenticator();

/**
 * Reads a WebSocket upgrade request: a browser page's origin, the key or token, the session path
 * (`/ws` for a new one, `/ws/:name`) and `last_seq`, or why it is refused.
 */
export async function readUpgradeRequest(
  request: IncomingMessage,
  auth: Authenticator = noAuth,
  allowedOrigins: readonly string[] = [],
): Promise<UpgradeRequest | UpgradeRefusal> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (!originAllowed(request, allowedOrigins))
    return { code: "AUTH_FORBIDDEN", reason: `Pages from ${request.headers.origin} may not open this WebSocket.` };
  const authenticated = await authenticateRequest(request, auth, "chat");
  if (!authenticated.ok)
    return { code: authenticated.status === 401 ? "AUTH_REQUIRED" : "AUTH_FORBIDDEN", reason: authenticated.reason };
  const issued = url.pathname === "/ws" || url.pathname === "/ws/";
  const match = sessionPathPattern.exec(url.pathname);
  if (!issued && !match) {
    const reason = url.pathname.startsWith("/ws/")
      ? "Session names are 1-128 characters of A-Z a-z 0-9 _ . : -"
      : "The WebSocket endpoint is /ws (a new session) or /ws/:session";
    return { code: "SESSION_INVALID", reason };
  }
  const lastSeq = url.searchParams.get("last_seq");
  // A whole number, written plainly: "1e308", "0x10", "-1" or "" are mistakes, not positions.
  if (lastSeq !== null && !/^\d{1,15}$/.test(lastSeq))
    return { code: "SESSION_INVALID", reason: `last_seq must be a whole number from 0, got "${lastSeq}".` };
  const owner = authenticated.principal.owner;
  return {
    // Without keys every client is the local owner: limits then count per address.
    client: auth.enabled ? `key:${owner}` : `ip:${request.socket.remoteAddress ?? "?"}`,
    owner,
    name: issued ? `s_${randomUUID().replaceAll("-", "")}` : match![1]!,
    issued,
    lastSeen: lastSeq === null ? undefined : Number(lastSeq),
  };
}

/**
 * The agent's session id for a client's session name: the owner's space, then the name. With no keys
 * configured every client is the local owner, whose sessions keep their plain names.
 */
export function sessionKeyOf(owner: string, name: string): string {
  return owner === localPrincipal.owner ? name : `${owner}/${name}`;
}

/** Refuses a WebSocket upgrade with the HTTP status of `code` and a one-line reason. */
export function refuseUpgrade(socket: Duplex, code: ErrorCode, reason: string): void {
  const status = errorCodes[code].httpStatus;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${code}: ${reason}\n`,
  );
}
