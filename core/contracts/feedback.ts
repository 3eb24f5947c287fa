import { StoreError } from "./errors.ts";

/**
 * What users say of answers, explicitly or by what they do: the material of the feedback suite
 * (`rta eval feedback --from-feedback`) and of the satisfaction metrics.
 *
 * - `rating`: a user's rating of an answer, `score` +1 (good), 0 (neutral) or -1 (bad);
 * - `rephrased`: the next message asked the same again in other words (score -1);
 * - `clarification`: the next message asked what the answer meant (score -1);
 * - `abandoned`: the user cancelled the answer or left while it ran (score -1);
 * - `comment`: words only, no score.
 */
export type FeedbackKind = "rating" | "rephrased" | "clarification" | "abandoned" | "comment";

export const feedbackKinds: readonly FeedbackKind[] = ["rating", "rephrased", "clarification", "abandoned", "comment"];

export interface FeedbackRecord {
  /** The agent's session id (the owner's space included, as stores key sessions). */
  sessionId: string;
  turnId: string;
  owner: string;
  kind: FeedbackKind;
  score?: number;
  comment?: string;
  createdAt: string;
}

export interface FeedbackQuery {
  owner?: string;
  sessionId?: string;
  kinds?: readonly FeedbackKind[];
  /** Only feedback recorded at or after this time. */
  since?: Date;
  /** At most this many, newest first (default 1,000). */
  limit?: number;
}

/** Stores that keep feedback beside their sessions (deleted with the session or its owner). */
export interface FeedbackStore {
  addFeedback(feedback: FeedbackRecord): Promise<void>;
  /** Recorded feedback, newest first. */
  listFeedback(query?: FeedbackQuery): Promise<FeedbackRecord[]>;
}

export function keepsFeedback(store: object): store is FeedbackStore {
  return (
    typeof (store as Partial<FeedbackStore>).addFeedback === "function" &&
    typeof (store as Partial<FeedbackStore>).listFeedback === "function"
  );
}

/** A store wrapping another (tiers, a write buffer) keeps feedback in the store it wraps. */
export function innerFeedback(inner: object, kind: string): FeedbackStore {
  if (keepsFeedback(inner)) return inner;
  const refuse = () => Promise.reject(new StoreError("STORE_REJECTED", `The ${kind} session store keeps no feedback.`));
  return { addFeedback: refuse, listFeedback: refuse };
}
