import express, { type Router } from "express";
import type { Agent, UserProfile } from "realtime-agent";
import type { Authenticator } from "./auth/request-auth.ts";
import { requireChatKey, sendAgentError, sendError } from "./http-errors.ts";

/**
 * What the agent learned of the caller (RTA_PROFILES): see it, or delete it.
 *
 *   GET    /v1/profile   the caller's profile as JSON (404 PROFILE_NOT_FOUND before any turn)
 *   DELETE /v1/profile   deletes it (204; learning starts again from their next turn)
 */
export function profileRouter(options: { agent: Agent; auth: Authenticator }): Router {
  const router = express.Router();
  router.use(requireChatKey(options.auth));

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
  sendError(response, "PROFILE_NOT_FOUND", "Nothing has been learned of you yet.");
}
