import express, { type Response, type Router } from "express";
import type { Agent, TurnRecord } from "realtime-agent";
import type { Authenticator } from "./auth/request-auth.ts";
import { requireChatKey, sendAgentError, sendError } from "./http-errors.ts";
import { sessionKeyOf } from "./ws/upgrade-request.ts";
import { exportedFeedback, feedbackBody, recordFeedback } from "./feedback.ts";
import { InMemoryRateLimiter, type RateLimit } from "./ws/rate-limiter.ts";

/**
 * The caller's own sessions over HTTP: export one as JSON, delete one, or delete them all (a user's
 * data, on request). Sessions are named as the client names them; another owner's session of the same
 * name is another session, and unreachable.
 *
 *   GET    /v1/sessions/:name   the session as JSON (404 SESSION_NOT_FOUND when the caller has none)
 *   DELETE /v1/sessions/:name   deletes it from every store tier, and closes its open connections
 *   DELETE /v1/sessions         deletes every session of the caller
 *   POST   /v1/sessions/:name/feedback   rates a turn: {"turn_id", "rating": 1|0|-1, "comment"?} (201)
 *   GET    /v1/sessions/:name/feedback   the session's feedback, ratings and noticed signals, newest first
 */
export function sessionsRouter(options: {
  agent: Agent;
  auth: Authenticator;
  /** Called with the agent session ids deleted, so that the server forgets them too (open sockets, replay frames). */
  onDeleted?: (sessionKeys: string[]) => void;
  /** Ratings per caller (default: the WebSocket's message rate, 20 at once and 5 a second). */
  feedbackRate?: RateLimit;
}): Router {
  const router = express.Router();
  const store = options.agent.store;
  const ratings = new InMemoryRateLimiter(options.feedbackRate);

  router.use(requireChatKey(options.auth));

  router.get("/:name", async (request, response) => {
    const { owner } = response.locals as { owner: string };
    const key = sessionKeyOf(owner, request.params.name);
    try {
      const info = await store.describe(key);
      if (!info || info.owner !== owner) return void notFound(response, request.params.name);
      const [context, turns] = await Promise.all([store.load(key), store.history(key)]);
      response.json({
        session_id: request.params.name,
        created_at: info.createdAt,
        last_active_at: info.lastActiveAt,
        turn_count: info.turnCount,
        summary: context.summary ?? null,
        turns: turns.map(exportedTurn),
      });
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  router.post("/:name/feedback", express.json({ limit: "16kb" }), async (request, response) => {
    const { owner } = response.locals as { owner: string };
    // As over the WebSocket: per key's owner, or per address on a server without keys.
    const client = options.auth.enabled ? `key:${owner}` : `ip:${request.socket.remoteAddress ?? "?"}`;
    if (!ratings.takeNow(client))
      return void sendError(response, "RATE_LIMITED", "Too many ratings: wait a moment and send this one again.");
    const body = feedbackBody.safeParse(request.body);
    if (!body.success)
      return void sendError(response, "INPUT_MALFORMED", body.error.issues.map((issue) => issue.message).join("; "));
    const name = request.params.name;
    try {
      const record = await recordFeedback(options.agent, owner, sessionKeyOf(owner, name), name, body.data);
      response.status(201).json(exportedFeedback(record, name));
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  router.get("/:name/feedback", async (request, response) => {
    const { owner } = response.locals as { owner: string };
    const name = request.params.name;
    const key = sessionKeyOf(owner, name);
    try {
      const info = await store.describe(key);
      if (!info || info.owner !== owner) return void notFound(response, name);
      const items = await options.agent.feedback.list({ owner, sessionId: key });
      response.json({ feedback: items.map((item) => exportedFeedback(item, name)) });
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  router.delete("/:name", async (request, response) => {
    const { owner } = response.locals as { owner: string };
    const key = sessionKeyOf(owner, request.params.name);
    try {
      const info = await store.describe(key);
      if (!info || info.owner !== owner) return void notFound(response, request.params.name);
      await store.deleteSession(key);
      options.onDeleted?.([key]);
      response.status(204).end();
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  router.delete("/", async (_request, response) => {
    const { owner } = response.locals as { owner: string };
    try {
      // After the profile learning under way, and so that none writes the profile back.
      const deleted = await options.agent.profiles.eraseWith(owner, () => store.deleteOwner(owner));
      options.onDeleted?.(deleted);
      response.json({ deleted: deleted.length });
    } catch (error) {
      sendAgentError(response, error);
    }
  });

  return router;
}

/** A stored turn as the export gives it: snake_case, like every frame and API body of the server. */
function exportedTurn(turn: TurnRecord) {
  return {
    turn_id: turn.turnId,
    created_at: turn.createdAt,
    user_text: turn.userText,
    assistant_text: turn.assistantText,
    tool_calls: turn.toolCalls.map((call) => ({
      call_id: call.callId,
      name: call.name,
      arguments: call.arguments,
      ...(call.result !== undefined ? { result: call.result } : {}),
      ...(call.error ? { error: call.error } : {}),
    })),
    model: turn.model,
    usage: { input_tokens: turn.usage.inputTokens, output_tokens: turn.usage.outputTokens },
    ...(turn.error ? { error: turn.error } : {}),
    ...(turn.timings
      ? {
          timings: {
            time_to_first_token_ms: turn.timings.timeToFirstTokenMs ?? null,
            total_ms: turn.timings.totalMs,
          },
        }
      : {}),
  };
}

function notFound(response: Response, name: string): void {
  sendError(response, "SESSION_NOT_FOUND", `You have no session named "${name}".`);
}
