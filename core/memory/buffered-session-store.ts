import { AgentError, messageOf, StoreError } from "../contracts/errors.ts";
import { type FeedbackQuery, type FeedbackRecord, type FeedbackStore, innerFeedback } from "../contracts/feedback.ts";
import { innerProfiles, type ProfileStore, type UserProfile } from "../contracts/profile.ts";
import type { Logger } from "../contracts/logger.ts";
import type {
  AppendOptions,
  SessionContext,
  SessionInfo,
  SessionStore,
  StoreHealth,
  TurnRecord,
} from "../contracts/store.ts";

export interface BufferedSessionStoreOptions {
  /** Writes kept at most while the database is unreachable; beyond it a turn fails (default 10,000). */
  maxBuffered?: number;
  /** How many recent turns `load` returns when it must answer from the buffer alone (default 50, the context window's kept turns). */
  contextTurns?: number;
  /** First wait before retrying the database, doubled up to `maxRetryMs` (default 250 ms, 5 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Sessions whose buffered writes are written at once when the database is back (default 8). */
  flushConcurrency?: number;
  /** Told when the store becomes degraded (writes buffered) and when it has caught up again. */
  onHealthChange?: (health: StoreHealth) => void;
  logger?: Logger;
}

type Write =
  | { kind: "turn"; sessionId: string; turn: TurnRecord; options: AppendOptions }
  | { kind: "summary"; sessionId: string; summary: string; coversTurns: number | undefined };

/**
 * A durable store that rides out its database going away: a write it cannot make is kept, in order,
 * in a bounded buffer and written once the database answers again (retried with backoff). Meanwhile
 * turns go on: a session's context is read from the database when it answers, else from what the
 * buffer holds of it. While writes wait the store reports itself degraded (health, and
 * `onHealthChange` for the server's system_event). Nothing accepted is lost unless the process dies.
 */
export class BufferedSessionStore implements SessionStore, FeedbackStore, ProfileStore {
  readonly kind: string;
  readonly #store: SessionStore;
  #pending: Write[] = [];
  readonly #maxBuffered: number;
  readonly #contextTurns: number;
  readonly #retryMs: number;
  readonly #maxRetryMs: number;
  readonly #flushConcurrency: number;
  readonly #options: BufferedSessionStoreOptions;
  #flushing: Promise<void> | undefined;
  /** The batch of buffered writes being written now (a deletion waits for it, so nothing comes back). */
  #inFlight: Promise<unknown> | undefined;
  #lastError = "";
  #closed = false;

  constructor(store: SessionStore, options: BufferedSessionStoreOptions = {}) {
    this.#store = store;
    this.kind = store.kind;
    this.#options = options;
    this.#maxBuffered = options.maxBuffered ?? 10_000;
    this.#contextTurns = options.contextTurns ?? 50;
    this.#retryMs = options.retryMs ?? 250;
    this.#maxRetryMs = options.maxRetryMs ?? 5_000;
    this.#flushConcurrency = options.flushConcurrency ?? 8;
  }

  health(): StoreHealth {
    return this.#pending.length === 0
      ? { degraded: false }
      : {
          degraded: true,
          bufferedWrites: this.#pending.length,
          reason: `${this.kind} unreachable (${this.#lastError}); writes are kept and written when it answers`,
        };
  }

  async load(sessionId: string): Promise<SessionContext> {
    const buffered = this.#bufferedTurns(sessionId);
    try {
      const context = await this.#store.load(sessionId);
      if (buffered.length === 0) return context;
      return {
        ...context,
        recentTurns: [...context.recentTurns, ...buffered].slice(-this.#contextTurns),
        ...(context.turnCount !== undefined ? { turnCount: context.turnCount + buffered.length } : {}),
      };
    } catch (error) {
      if (!unavailable(error)) throw error;
      // The database is away: the turn goes on with what this process still holds of the session.
      return {
        sessionId,
        summary: this.#bufferedSummary(sessionId),
        recentTurns: buffered.slice(-this.#contextTurns),
      };
    }
  }

  async appendTurn(sessionId: string, turn: TurnRecord, options: AppendOptions = {}): Promise<void> {
    await this.#write({ kind: "turn", sessionId, turn: structuredClone(turn), options });
  }

  async setSummary(sessionId: string, summary: string, coversTurns?: number): Promise<void> {
    await this.#write({ kind: "summary", sessionId, summary, coversTurns });
  }

  async history(sessionId: string, options: { limit?: number } = {}): Promise<TurnRecord[]> {
    const stored = await this.#store.history(sessionId, options);
    const turns = [...stored, ...this.#bufferedTurns(sessionId)];
    return options.limit === undefined ? turns : turns.slice(-options.limit);
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#dropBuffered((write) => write.sessionId === sessionId);
    await this.#inFlight;
    await this.#store.deleteSession(sessionId);
  }

  describe(sessionId: string): Promise<SessionInfo | undefined> {
    return this.#store.describe(sessionId);
  }

  /** Profiles are kept by the durable store only. */
  loadProfile(owner: string): Promise<UserProfile | undefined> {
    return innerProfiles(this.#store, this.kind).loadProfile(owner);
  }

  saveProfile(profile: UserProfile, expected?: Pick<UserProfile, "updatedAt"> | null): Promise<boolean> {
    return innerProfiles(this.#store, this.kind).saveProfile(profile, expected);
  }

  deleteProfile(owner: string): Promise<boolean> {
    return innerProfiles(this.#store, this.kind).deleteProfile(owner);
  }

  /** Feedback is kept by the durable store only. */
  addFeedback(feedback: FeedbackRecord): Promise<void> {
    return innerFeedback(this.#store, this.kind).addFeedback(feedback);
  }

  listFeedback(query?: FeedbackQuery): Promise<FeedbackRecord[]> {
    return innerFeedback(this.#store, this.kind).listFeedback(query);
  }

  async deleteOwner(owner: string): Promise<string[]> {
    this.#dropBuffered((write) => write.kind === "turn" && write.options.owner === owner);
    await this.#inFlight;
    return this.#store.deleteOwner(owner);
  }

  deleteIdleSince(cutoff: Date, limit?: number): Promise<string[]> {
    return this.#store.deleteIdleSince(cutoff, limit);
  }

  /** Writes what is buffered (waiting for the database as long as `waitMs`), then closes the database. */
  async close(waitMs = 5_000): Promise<void> {
    if (this.#pending.length > 0) {
      const flushed = this.#flush();
      await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
      if (this.#pending.length > 0)
        this.#options.logger?.error("closing with writes the database never took", { writes: this.#pending.length });
    }
    this.#closed = true;
    await this.#store.close?.();
  }

  async #write(write: Write): Promise<void> {
    if (this.#pending.length === 0) {
      try {
        await this.#apply(write);
        return;
      } catch (error) {
        if (!unavailable(error)) throw error;
        this.#lastError = messageOf(error);
      }
    }
    if (this.#pending.length >= this.#maxBuffered)
      throw new StoreError(
        "STORE_UNAVAILABLE",
        `The session database is unreachable and ${this.#pending.length} writes already wait for it; this one was not accepted.`,
      );
    const wasHealthy = this.#pending.length === 0;
    this.#pending.push(write);
    if (wasHealthy) {
      this.#options.logger?.warn("session database unreachable: writes buffered until it answers", {
        store: this.kind,
        error: this.#lastError,
      });
      this.#options.onHealthChange?.(this.health());
    }
    void this.#flush();
  }

  /** Writes the buffer in order; on failure waits (backoff) and tries again, until it is empty. */
  /**
   * Writes the buffer, each session's writes in their order and up to `flushConcurrency` sessions at
   * once; on a connection failure waits (backoff) and tries again, until the buffer is empty.
   */
  #flush(): Promise<void> {
    this.#flushing ??= (async () => {
      let wait = this.#retryMs;
      while (this.#pending.length > 0 && !this.#closed) {
        const batch = firstWritePerSession(this.#pending, this.#flushConcurrency);
        const applying = Promise.allSettled(batch.map((write) => this.#apply(write)));
        this.#inFlight = applying;
        const outcomes = await applying;
        const done = new Set<Write>();
        let failure: unknown;
        for (const [index, outcome] of outcomes.entries()) {
          const write = batch[index] as Write;
          if (outcome.status === "fulfilled") done.add(write);
          else if (!unavailable(outcome.reason)) {
            // Not a connection problem (a value the database refuses): retrying cannot help.
            this.#options.logger?.error("a buffered write was refused by the database and dropped", {
              sessionId: write.sessionId,
              error: messageOf(outcome.reason),
            });
            done.add(write);
          } else failure = outcome.reason;
        }
        if (done.size > 0) this.#pending = this.#pending.filter((write) => !done.has(write));
        if (failure === undefined) {
          wait = this.#retryMs;
          continue;
        }
        this.#lastError = messageOf(failure);
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
        wait = Math.min(wait * 2, this.#maxRetryMs);
      }
    })().finally(() => {
      this.#flushing = undefined;
      if (this.#pending.length === 0 && !this.#closed) {
        this.#options.logger?.info("session database back: buffered writes written", { store: this.kind });
        this.#options.onHealthChange?.(this.health());
      }
    });
    return this.#flushing;
  }

  #apply(write: Write): Promise<void> {
    return write.kind === "turn"
      ? this.#store.appendTurn(write.sessionId, write.turn, write.options)
      : this.#store.setSummary(write.sessionId, write.summary, write.coversTurns);
  }

  #bufferedTurns(sessionId: string): TurnRecord[] {
    return this.#pending.flatMap((write) =>
      write.kind === "turn" && write.sessionId === sessionId ? [structuredClone(write.turn)] : [],
    );
  }

  #bufferedSummary(sessionId: string): string | undefined {
    const write = this.#pending.findLast(
      (candidate) => candidate.kind === "summary" && candidate.sessionId === sessionId,
    );
    return write?.kind === "summary" ? write.summary : undefined;
  }

  #dropBuffered(matches: (write: Write) => boolean): void {
    for (let index = this.#pending.length - 1; index >= 0; index--)
      if (matches(this.#pending[index] as Write)) this.#pending.splice(index, 1);
  }
}

/** The oldest buffered write of each session, for up to `limit` sessions: writes that may run at once. */
function firstWritePerSession(pending: readonly Write[], limit: number): Write[] {
  const seen = new Set<string>();
  const batch: Write[] = [];
  for (const write of pending) {
    if (!seen.has(write.sessionId)) {
      batch.push(write);
      if (batch.length === limit) break;
    }
    seen.add(write.sessionId);
  }
  return batch;
}

function unavailable(error: unknown): boolean {
  return AgentError.isInstance(error) && error.code === "STORE_UNAVAILABLE";
}
