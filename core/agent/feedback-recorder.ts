import { messageOf } from "../contracts/errors.ts";
import { type FeedbackQuery, type FeedbackRecord, keepsFeedback } from "../contracts/feedback.ts";
import type { Logger } from "../contracts/logger.ts";
import type { SessionStore, TurnRecord } from "../contracts/store.ts";
import { type ImplicitFeedbackOptions, implicitSignal } from "./implicit-feedback.ts";

export type FeedbackListener = (feedback: FeedbackRecord) => void;

/**
 * Keeps what users say of answers (ratings from the server's API, and the signals the agent notices
 * itself) in the session store, when the store keeps feedback, and tells listeners (the server's
 * metrics) of each.
 */
export class FeedbackRecorder {
  readonly #store: SessionStore;
  readonly #implicit: ImplicitFeedbackOptions | false;
  readonly #logger: Logger;
  readonly #listeners: FeedbackListener[] = [];
  /** Signals being worked out or stored (awaited by `settle`). */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(store: SessionStore, implicit: ImplicitFeedbackOptions | false, logger: Logger) {
    this.#store = store;
    this.#implicit = implicit;
    this.#logger = logger;
  }

  /** Whether feedback is kept (the store keeps it); listeners hear of it either way. */
  get kept(): boolean {
    return keepsFeedback(this.#store);
  }

  onFeedback(listener: FeedbackListener): void {
    this.#listeners.push(listener);
  }

  /** Stores the feedback (when the store keeps it) and tells the listeners. Throws what the store throws. */
  async record(feedback: FeedbackRecord): Promise<void> {
    if (keepsFeedback(this.#store)) await this.#store.addFeedback(feedback);
    for (const listener of this.#listeners) listener(feedback);
  }

  list(query?: FeedbackQuery): Promise<FeedbackRecord[]> {
    return keepsFeedback(this.#store) ? this.#store.listFeedback(query) : Promise.resolve([]);
  }

  /**
   * In the background: what the new message says of the session's previous answer (asked again,
   * asked what it meant), recorded on that answer's turn.
   */
  noticeReply(sessionId: string, owner: string, previous: TurnRecord | undefined, message: string): void {
    if (this.#implicit === false || !previous || previous.error) return;
    const options = this.#implicit;
    this.#track(
      implicitSignal(previous.userText, message, options).then((kind) =>
        kind
          ? this.record({
              sessionId,
              turnId: previous.turnId,
              owner,
              kind,
              score: -1,
              createdAt: new Date().toISOString(),
            })
          : undefined,
      ),
    );
  }

  /** In the background: the user stopped the answer (cancelled it, or left while it ran). */
  noticeAbandoned(sessionId: string, owner: string, turnId: string): void {
    if (this.#implicit === false) return;
    this.#track(
      this.record({ sessionId, turnId, owner, kind: "abandoned", score: -1, createdAt: new Date().toISOString() }),
    );
  }

  /** Resolves once the signals noticed so far are stored (or failed). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#pending);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) =>
      // A session not stored yet (its first turn was cancelled) has nothing to hold feedback: not worth a warning.
      this.#logger.debug?.("implicit feedback not kept", { error: messageOf(error) }),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }
}
