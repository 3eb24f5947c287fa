import express, { type Router } from "express";
import { type Agent, errorCodes, toAgentError, type UserProfile } from "realtime-agent";
import { type Authenticator, authenticateRequest } from "./auth/request-auth.ts";

/**
 * What the agent learned of the caller (RTA_PROFILES): see it, or delete it.
 *
 *   GET    /v1/profile   the caller's profile as JSON (404 PROFILE_NOT_FOUND before any turn)
 *   DELETE /v1/profile   deletes it (204; learning starts again from their next turn)
 */
export function profileRouter(options: { agent: Agent; auth: Authenticator }): Router {
  const router = express.Router();
  router.use(async (request, response, next) => {
    const auth = await authenticateRequest(request, options.auth, "chat");
    if (!auth.ok) {
      const code = auth.status === 403 ? "AUTH_FORBIDDEN" : "AUTH_REQUIRED";
      return void response
        .status(errorCodes[code].httpStatus)
        .json({ error: { code, message: auth.reason, retryable: false } });
    }
    response.locals.owner = auth.principal.owner;
    next();
  });

  router.get("/", async (_request, response) => {
    const { owner } = response.locals as { owner: string };
    try {
      const profile = await options.agent.profiles.load(owner);
      if (!profile) return void notFound(response);
      response.json(exportedProfile(profile));
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  router.delete("/", async (_request, response) => {
    const { owner } = response.locals as { owner: string };
    try {
      if (!(await options.agent.profiles.forget(owner))) return void notFound(response);
      response.status(204).end();
    } catch (error) {
      sendAgentError(response, error);
    }
  });
  return router;
}

function exportedProfile(profile: UserProfile) {
  return {
    turns: profile.turns,
    languages: profile.languages,
    answer_length: profile.answerLength,
    lists: profile.lists,
    tools: profile.tools,
    topics: profile.topics,
    updated_at: profile.updatedAt,
  };
}

function notFound(response: express.Response): void {
  const { httpStatus, retryable } = errorCodes.PROFILE_NOT_FOUND;
  response
    .status(httpStatus)
    .json({ error: { code: "PROFILE_NOT_FOUND", message: "Nothing has been learned of you yet.", retryable } });
}

function sendAgentError(response: express.Response, error: unknown): void {
  const agentError = toAgentError(error);
  const { httpStatus, retryable } = errorCodes[agentError.code];
  response.status(httpStatus).json({ error: { code: agentError.code, message: agentError.message, retryable } });
}
