import type { RequestHandler, Response } from "express";
import { type ErrorCode, errorCodes, toAgentError } from "realtime-agent";
import { type Authenticator, authenticateRequest } from "./auth/request-auth.ts";

/** A typed JSON error: `{"error": {code, message, retryable}}` with the HTTP status of its row. */
export function sendError(response: Response, code: ErrorCode, message: string): void {
  const { httpStatus, retryable } = errorCodes[code];
  response.status(httpStatus).json({ error: { code, message, retryable } });
}

/** Anything thrown, as its typed error (an unknown one as INTERNAL). */
export function sendAgentError(response: Response, error: unknown): void {
  const agentError = toAgentError(error);
  sendError(response, agentError.code, agentError.message);
}

/** Lets a request through with a "chat" key (or none on a keyless server), its owner in `response.locals.owner`. */
export function requireChatKey(auth: Authenticator): RequestHandler {
  return async (request, response, next) => {
    const result = await authenticateRequest(request, auth, "chat");
    if (!result.ok)
      return void sendError(response, result.status === 403 ? "AUTH_FORBIDDEN" : "AUTH_REQUIRED", result.reason);
    response.locals.owner = result.principal.owner;
    next();
  };
}
