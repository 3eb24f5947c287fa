import { writeFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  containsGuardRefusal,
  type FeedbackRecord,
  type FeedbackStore,
  looksLikeRefusal,
  type SessionStore,
  type TurnRecord,
} from "realtime-agent";
import { z } from "zod";

export const feedbackCaseSchema = z
  .object({
    id: z.string(),
    /** approved: rated good, the answer to keep; rejected: rated bad, asked again or asked what it meant. */
    category: z.enum(["approved", "rejected"]),
    signal: z.enum(["rating", "rephrased", "clarification"]),
    /** The agent session id and turn the feedback was about, and when it was given. */
    session: z.string(),
    turn_id: z.string(),
    rated_at: z.string(),
    /** The session's turns before the rated one (the last three), as the model read them. */
    history: z.array(z.object({ user: z.string(), assistant: z.string() })),
    message: z.string(),
    /** The answer rated, and the tools it called. */
    answer: z.string(),
    tools: z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) })),
    comment: z.string().optional(),
  })
  .strict();
export type FeedbackCase = z.infer<typeof feedbackCaseSchema>;

export interface CasesFromFeedbackOptions {
  owner?: string;
  since?: Date;
  /** Feedback items read at most (newest first; default 10,000). */
  limit?: number;
}

/** How much one item of feedback says: a user's rating outweighs what the agent noticed. */
const weight = (feedback: FeedbackRecord) => (feedback.kind === "rating" ? 2 : 1);

/**
 * Eval cases from what users said of answers: each turn rated good becomes an `approved` case (ask
 * the same again: the tools it called and an answer as good), each rated bad, asked again in other
 * words or asked what it meant becomes a `rejected` case (the answer must not come back). A turn with
 * several items is judged by the strongest, latest one (a rating over a noticed signal); neutral
 * ratings, comments alone, abandoned turns (not stored), refusals (the model's or the safety layer's)
 * and turns no longer held are left out.
 */
export async function casesFromFeedback(
  store: SessionStore & FeedbackStore,
  options: CasesFromFeedbackOptions = {},
): Promise<FeedbackCase[]> {
  const items = await store.listFeedback({
    kinds: ["rating", "rephrased", "clarification"],
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.since ? { since: options.since } : {}),
    limit: options.limit ?? 10_000,
  });
  // Newest first: the first item seen for a turn at the highest weight decides.
  const decisive = new Map<string, FeedbackRecord>();
  for (const item of items) {
    if (!item.score) continue;
    const key = `${item.sessionId}\u0000${item.turnId}`;
    const held = decisive.get(key);
    if (!held || weight(item) > weight(held)) decisive.set(key, item);
  }
  const histories = new Map<string, Promise<TurnRecord[]>>();
  const cases: FeedbackCase[] = [];
  for (const item of decisive.values()) {
    let history = histories.get(item.sessionId);
    if (!history) {
      history = store.history(item.sessionId);
      histories.set(item.sessionId, history);
    }
    const turns = await history;
    const index = turns.findIndex((turn) => turn.turnId === item.turnId);
    const turn = turns[index];
    // A refusal asked again in other words is how jailbreaks go: it must never become a case whose
    // answer must change.
    if (!turn || turn.error || looksLikeRefusal(turn.assistantText) || containsGuardRefusal(turn.assistantText))
      continue;
    cases.push({
      id: `fb-${item.turnId.slice(0, 12)}`,
      category: item.score! > 0 ? "approved" : "rejected",
      signal: item.kind as FeedbackCase["signal"],
      session: item.sessionId,
      turn_id: item.turnId,
      rated_at: item.createdAt,
      history: turns
        .slice(Math.max(0, index - 3), index)
        .map((earlier) => ({ user: earlier.userText, assistant: earlier.assistantText })),
      message: turn.userText,
      answer: turn.assistantText,
      tools: turn.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
      ...(item.comment ? { comment: item.comment } : {}),
    });
  }
  return cases.sort((a, b) => a.rated_at.localeCompare(b.rated_at));
}

export function writeFeedbackCases(file: string, cases: readonly FeedbackCase[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, cases.map((testCase) => JSON.stringify(testCase)).join("\n") + (cases.length ? "\n" : ""));
}
