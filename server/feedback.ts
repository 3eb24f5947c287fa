import { z } from "zod";
import { type Agent, type FeedbackRecord, UserInputError } from "realtime-agent";

/**
 * A user's feedback on one answer, as the WebSocket frame and the HTTP body carry it: a rating
 * (1 good, 0 neutral, -1 bad), words, or both.
 */
export const feedbackBody = z
  .object({
    turn_id: z.string().min(1).max(128),
    rating: z.union([z.literal(1), z.literal(0), z.literal(-1)]).optional(),
    comment: z.string().max(2_000).optional(),
  })
  .refine((body) => body.rating !== undefined || (body.comment ?? "").trim() !== "", {
    message: "Give a rating (1, 0 or -1), a comment, or both.",
  });

export type FeedbackBody = z.infer<typeof feedbackBody>;

/** How far back a turn may be rated: the session's last this many turns. */
const ratableTurns = 200;

/**
 * Records `body` on a turn of the caller's session `sessionKey`: SESSION_NOT_FOUND when the caller
 * has no such session, TURN_NOT_FOUND when the session holds no such turn (among its last 200).
 */
export async function recordFeedback(
  agent: Agent,
  owner: string,
  sessionKey: string,
  sessionName: string,
  body: FeedbackBody,
): Promise<FeedbackRecord> {
  const info = await agent.store.describe(sessionKey);
  if (!info || info.owner !== owner)
    throw new UserInputError("SESSION_NOT_FOUND", `You have no session named "${sessionName}".`);
  const turns = await agent.store.history(sessionKey, { limit: ratableTurns });
  if (!turns.some((turn) => turn.turnId === body.turn_id))
    throw new UserInputError(
      "TURN_NOT_FOUND",
      `Session "${sessionName}" has no turn ${body.turn_id} among its last ${ratableTurns}.`,
    );
  const comment = body.comment?.trim();
  const record: FeedbackRecord = {
    sessionId: sessionKey,
    turnId: body.turn_id,
    owner,
    kind: body.rating === undefined ? "comment" : "rating",
    ...(body.rating !== undefined ? { score: body.rating } : {}),
    ...(comment ? { comment } : {}),
    createdAt: new Date().toISOString(),
  };
  await agent.feedback.record(record);
  return record;
}

/** Feedback as the API shows it: snake_case, the session by the name its owner gave it. */
export function exportedFeedback(record: FeedbackRecord, sessionName: string) {
  return {
    session_id: sessionName,
    turn_id: record.turnId,
    kind: record.kind,
    ...(record.score !== undefined ? { score: record.score } : {}),
    ...(record.comment !== undefined ? { comment: record.comment } : {}),
    created_at: record.createdAt,
  };
}
