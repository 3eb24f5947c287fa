import { messageOf } from "../contracts/errors.ts";
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
import type { RedisSessionStore } from "./redis-session-store.ts";

export interface TieredSessionStoreOptions {
  /** How many recent turns the durable store hands to Redis when a session is not there (default 50, the context window's kept turns). */
  contextTurns?: number;
  logger?: Logger;
}

/**
 * Redis in front of a durable store (PostgreSQL or PGlite). Reads come from Redis when it holds the
 * session, else from the durable store, which then refills Redis. Writes go to the durable store first
 * (what it accepted is never lost), then to Redis. While Redis is down, turns go on from the durable
 * store alone; sessions written meanwhile are dropped from Redis once it answers again, so that it never
 * serves a context that misses a turn.
 */
export class TieredSessionStore implements SessionStore, FeedbackStore, ProfileStore {
  readonly kind: string;
  readonly #hot: RedisSessionStore;
  readonly #durable: SessionStore;
  readonly #contextTurns: number;
  readonly #logger: Logger | undefined;
  /** Sessions written while Redis could not be reached: its copy of them may miss turns. */
  readonly #staleInRedis = new Set<string>();
  #clearTimer: NodeJS.Timeout | undefined;

  constructor(hot: RedisSessionStore, durable: SessionStore, options: TieredSessionStoreOptions = {}) {
    this.#hot = hot;
    this.#durable = durable;
    this.kind = `${hot.kind}+${durable.kind}`;
    this.#contextTurns = options.contextTurns ?? 50;
    this.#logger = options.logger;
  }

  /** Whether Redis failed a write that it has not been cleared of since. */
  get degraded(): boolean {
    return this.#staleInRedis.size > 0;
  }

  health(): StoreHealth {
    const durable = this.#durable.health?.() ?? { degraded: false };
    if (durable.degraded || !this.degraded) return durable;
    return { degraded: true, reason: "redis unreachable: sessions are read from and written to the database alone" };
  }

  async load(sessionId: string): Promise<SessionContext> {
    const fromRedis = await this.#hotOrUndefined(sessionId, () => this.#hot.loadIfPresent(sessionId));
    if (fromRedis) return fromRedis;
    const context = await this.#durable.load(sessionId);
    if (context.recentTurns.length > 0 || context.summary !== undefined) await this.#refill(context);
    return context;
  }

  async appendTurn(sessionId: string, turn: TurnRecord, options: AppendOptions = {}): Promise<void> {
    await this.#durable.appendTurn(sessionId, turn, options);
    // Only a session Redis already holds gets the turn there; another is read from the durable store
    // on its next load and refilled whole.
    await this.#hotOrUndefined(sessionId, () => this.#hot.appendIfPresent(sessionId, turn));
  }

  history(sessionId: string, options: { limit?: number } = {}): Promise<TurnRecord[]> {
    return this.#durable.history(sessionId, options);
  }

  async setSummary(sessionId: string, summary: string, coversTurns?: number): Promise<void> {
    await this.#durable.setSummary(sessionId, summary, coversTurns);
    await this.#hotOrUndefined(sessionId, () => this.#hot.setSummaryIfPresent(sessionId, summary, coversTurns));
  }

  async deleteSession(sessionId: string): Promise<void> {
    // Both tiers, or an error: a deleted session must not linger in either.
    await Promise.all([this.#hot.deleteSession(sessionId), this.#durable.deleteSession(sessionId)]);
    this.#staleInRedis.delete(sessionId);
  }

  describe(sessionId: string): Promise<SessionInfo | undefined> {
    return this.#durable.describe(sessionId);
  }

  /** Profiles are kept by the durable store only. */
  loadProfile(owner: string): Promise<UserProfile | undefined> {
    return innerProfiles(this.#durable, this.kind).loadProfile(owner);
  }

  saveProfile(profile: UserProfile, expected?: Pick<UserProfile, "updatedAt"> | null): Promise<boolean> {
    return innerProfiles(this.#durable, this.kind).saveProfile(profile, expected);
  }

  deleteProfile(owner: string): Promise<boolean> {
    return innerProfiles(this.#durable, this.kind).deleteProfile(owner);
  }

  /** Feedback is kept by the durable store only. */
  addFeedback(feedback: FeedbackRecord): Promise<void> {
    return innerFeedback(this.#durable, this.kind).addFeedback(feedback);
  }

  listFeedback(query?: FeedbackQuery): Promise<FeedbackRecord[]> {
    return innerFeedback(this.#durable, this.kind).listFeedback(query);
  }

  async deleteOwner(owner: string): Promise<string[]> {
    return this.#deletedFromRedis(await this.#durable.deleteOwner(owner));
  }

  async deleteIdleSince(cutoff: Date, limit?: number): Promise<string[]> {
    return this.#deletedFromRedis(await this.#durable.deleteIdleSince(cutoff, limit));
  }

  /**
   * Deletes sessions the durable store has deleted from Redis too. If Redis cannot be reached they are
   * marked stale, and deleted from it as soon as it answers again (or expire with their TTL).
   */
  async #deletedFromRedis(sessionIds: string[]): Promise<string[]> {
    for (const sessionId of sessionIds) this.#staleInRedis.add(sessionId);
    await this.#clearStale().catch(() => this.#retryClearingStale());
    return sessionIds;
  }

  async #clearStale(): Promise<void> {
    for (const sessionId of [...this.#staleInRedis]) {
      await this.#hot.deleteSession(sessionId);
      this.#staleInRedis.delete(sessionId);
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#clearTimer);
    await this.#durable.close?.();
  }

  async #refill(context: SessionContext): Promise<void> {
    await this.#hotOrUndefined(context.sessionId, () =>
      this.#hot.replace({ ...context, recentTurns: context.recentTurns.slice(-this.#contextTurns) }),
    );
  }

  /**
   * Runs `work` on Redis; if Redis fails, marks the session stale and gives undefined (the durable
   * store answers instead). A stale session is first dropped from Redis, once Redis answers again.
   */
  async #hotOrUndefined<T>(sessionId: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      // Redis answers again after an outage: every session written meanwhile leaves it first.
      if (this.#staleInRedis.size > 0) await this.#clearStale();
      return await work();
    } catch (error) {
      if (!this.#staleInRedis.has(sessionId))
        this.#logger?.warn("redis unavailable: session served from the durable store", {
          sessionId,
          error: messageOf(error),
        });
      this.#staleInRedis.add(sessionId);
      this.#retryClearingStale();
      return undefined;
    }
  }

  /**
   * Tries again every second to drop the stale sessions from Redis, so that the store stops reporting
   * itself degraded once Redis is back even if no session is used meanwhile.
   */
  #retryClearingStale(): void {
    if (this.#clearTimer) return;
    this.#clearTimer = setTimeout(() => {
      this.#clearTimer = undefined;
      this.#clearStale().catch(() => this.#retryClearingStale());
    }, 1_000);
    this.#clearTimer.unref();
  }
}
