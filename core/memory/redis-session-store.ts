import type { Redis } from "ioredis";
import { messageOf, StoreError } from "../contracts/errors.ts";
import {
  type AppendOptions,
  localOwner,
  type SessionContext,
  type SessionInfo,
  type SessionStore,
  type TurnRecord,
} from "../contracts/store.ts";
import { escapeRegExp } from "../language/escape-regexp.ts";

export interface RedisSessionStoreOptions {
  /** How many recent turns `load` returns as context (default 50, the context window's kept turns). */
  contextTurns?: number;
  /** How many turns are kept per session; older ones are dropped (default 50). */
  maxTurnsPerSession?: number;
  /** Sessions unused this long expire; every read and write renews the time (default 24 h). */
  ttlMs?: number;
  /** Prefix of every key (default "rta:"), so that several deployments can share one Redis. */
  keyPrefix?: string;
}

/**
 * Hot session context in Redis: a session's recent turns as a list of JSON records and its summary and
 * owner in a hash, both expiring after a day unused (renewed on use). Fast, shared by every server
 * instance, but not durable: in front of PostgreSQL in the tiered store.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = "redis";
  readonly #redis: Redis;
  readonly #contextTurns: number;
  readonly #maxTurns: number;
  readonly #ttlSeconds: number;
  readonly #prefix: string;

  /** The caller owns `redis` (and closes it): several stores and the rate limiter may share it. */
  constructor(redis: Redis, options: RedisSessionStoreOptions = {}) {
    this.#redis = redis;
    this.#contextTurns = options.contextTurns ?? 50;
    this.#maxTurns = options.maxTurnsPerSession ?? 50;
    this.#ttlSeconds = Math.max(1, Math.round((options.ttlMs ?? 24 * 60 * 60 * 1000) / 1000));
    this.#prefix = options.keyPrefix ?? "rta:";
  }

  async load(sessionId: string): Promise<SessionContext> {
    return (
      (await this.loadIfPresent(sessionId)) ?? {
        sessionId,
        summary: undefined,
        recentTurns: [],
        turnCount: 0,
        summaryCoversTurns: 0,
      }
    );
  }

  /** The session's context, or undefined when Redis does not hold the session (never, or expired). */
  async loadIfPresent(sessionId: string): Promise<SessionContext | undefined> {
    return this.#call("load the session", async () => {
      const results = await this.#renewed(sessionId, this.#redis.multi().exists(this.#meta(sessionId)))
        .hmget(this.#meta(sessionId), "summary", "turn_count", "summary_covers")
        .lrange(this.#turns(sessionId), -this.#contextTurns, -1)
        .exec();
      if (resultOf<number>(results, 0) === 0) return undefined;
      const [summary, turnCount, covers] = resultOf<(string | null)[]>(results, 3);
      return {
        sessionId,
        summary: summary ?? undefined,
        recentTurns: resultOf<string[]>(results, 4).map(parseTurn),
        turnCount: Number(turnCount ?? 0),
        summaryCoversTurns: Number(covers ?? 0),
      };
    });
  }

  /**
   * Appends a turn only to a session Redis holds, in one atomic step (a script): a session that expired
   * meanwhile is not recreated with this turn alone. Returns whether it was appended.
   */
  async appendIfPresent(sessionId: string, turn: TurnRecord): Promise<boolean> {
    return this.#call("store the turn", async () => {
      const appended = await this.#redis.eval(
        appendIfPresentScript,
        2,
        this.#meta(sessionId),
        this.#turns(sessionId),
        this.#maxTurns,
        this.#ttlSeconds,
        JSON.stringify(turn),
        new Date().toISOString(),
      );
      return appended === 1;
    });
  }

  /** Sets the summary only of a session Redis holds (see appendIfPresent). */
  async setSummaryIfPresent(sessionId: string, summary: string, coversTurns = 0): Promise<boolean> {
    return this.#call("store the summary", async () => {
      const set = await this.#redis.eval(
        setSummaryIfPresentScript,
        2,
        this.#meta(sessionId),
        this.#turns(sessionId),
        this.#ttlSeconds,
        summary,
        coversTurns,
      );
      return set === 1;
    });
  }

  async appendTurn(sessionId: string, turn: TurnRecord, options: AppendOptions = {}): Promise<void> {
    await this.#call("store the turn", async () => {
      const now = new Date().toISOString();
      const transaction = this.#redis
        .multi()
        .hsetnx(this.#meta(sessionId), "owner", options.owner ?? localOwner)
        .hsetnx(this.#meta(sessionId), "created_at", now)
        .hset(this.#meta(sessionId), "last_active_at", now)
        .hincrby(this.#meta(sessionId), "turn_count", 1)
        .rpush(this.#turns(sessionId), JSON.stringify(turn))
        .ltrim(this.#turns(sessionId), -this.#maxTurns, -1);
      checked(await this.#renewed(sessionId, transaction).exec());
    });
  }

  /** Makes Redis hold exactly this context for the session, in one transaction (the tiered store's refill). */
  async replace(context: SessionContext): Promise<void> {
    const { sessionId, recentTurns, summary } = context;
    await this.#call("refill the session", async () => {
      const transaction = this.#redis
        .multi()
        .del(this.#meta(sessionId), this.#turns(sessionId))
        .hset(
          this.#meta(sessionId),
          "refilled_at",
          new Date().toISOString(),
          "turn_count",
          context.turnCount ?? recentTurns.length,
          "summary_covers",
          context.summaryCoversTurns ?? 0,
          ...(summary !== undefined ? ["summary", summary] : []),
        );
      if (recentTurns.length > 0)
        transaction.rpush(this.#turns(sessionId), ...recentTurns.map((turn) => JSON.stringify(turn)));
      checked(await this.#renewed(sessionId, transaction).exec());
    });
  }

  async history(sessionId: string, options: { limit?: number } = {}): Promise<TurnRecord[]> {
    return this.#call("read the history", async () => {
      const start = options.limit === undefined ? 0 : -Math.max(options.limit, 0);
      if (options.limit === 0) return [];
      return (await this.#redis.lrange(this.#turns(sessionId), start, -1)).map(parseTurn);
    });
  }

  async setSummary(sessionId: string, summary: string, coversTurns = 0): Promise<void> {
    await this.#call("store the summary", async () => {
      const transaction = this.#redis
        .multi()
        .hset(this.#meta(sessionId), "summary", summary, "summary_covers", coversTurns);
      checked(await this.#renewed(sessionId, transaction).exec());
    });
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.#call("delete the session", () => this.#redis.del(this.#meta(sessionId), this.#turns(sessionId)));
  }

  async describe(sessionId: string): Promise<SessionInfo | undefined> {
    return this.#call("describe the session", async () => {
      const fields = await this.#redis.hgetall(this.#meta(sessionId));
      if (!fields.created_at) return undefined;
      return {
        sessionId,
        owner: fields.owner ?? localOwner,
        createdAt: fields.created_at,
        lastActiveAt: fields.last_active_at ?? fields.created_at,
        turnCount: Number(fields.turn_count ?? 0),
      };
    });
  }

  async deleteOwner(owner: string): Promise<string[]> {
    return this.#deleteWhere((fields) => fields.owner === owner);
  }

  async deleteIdleSince(cutoff: Date, limit = 10_000): Promise<string[]> {
    const before = cutoff.toISOString();
    return this.#deleteWhere((fields) => (fields.last_active_at ?? "") < before, limit);
  }

  /** Walks the sessions' hashes (SCAN, in batches) and deletes those whose fields match. */
  async #deleteWhere(
    matches: (fields: Record<string, string | undefined>) => boolean,
    limit = Number.POSITIVE_INFINITY,
  ): Promise<string[]> {
    return this.#call("delete sessions", async () => {
      const deleted: string[] = [];
      const pattern = `${this.#prefix}session:*:meta`;
      const keyPattern = new RegExp(`^${escapeRegExp(this.#prefix)}session:\\{(.*)\\}:meta$`);
      let cursor = "0";
      do {
        const [next, keys] = await this.#redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        const pipeline = this.#redis.pipeline();
        for (const key of keys) pipeline.hmget(key, "owner", "last_active_at");
        const values = (await pipeline.exec()) ?? [];
        for (const [index, key] of keys.entries()) {
          if (deleted.length >= limit) break;
          const [owner, lastActiveAt] = (values[index]?.[1] as (string | null)[] | undefined) ?? [];
          const sessionId = keyPattern.exec(key)?.[1];
          if (sessionId === undefined) continue;
          if (!matches({ owner: owner ?? undefined, last_active_at: lastActiveAt ?? undefined })) continue;
          await this.#redis.del(this.#meta(sessionId), this.#turns(sessionId));
          deleted.push(sessionId);
        }
      } while (cursor !== "0" && deleted.length < limit);
      return deleted;
    });
  }

  #renewed(sessionId: string, transaction: ReturnType<Redis["multi"]>) {
    return transaction.expire(this.#meta(sessionId), this.#ttlSeconds).expire(this.#turns(sessionId), this.#ttlSeconds);
  }

  #meta(sessionId: string): string {
    return `${this.#prefix}session:{${sessionId}}:meta`;
  }

  #turns(sessionId: string): string {
    return `${this.#prefix}session:{${sessionId}}:turns`;
  }

  async #call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw new StoreError("STORE_UNAVAILABLE", `Could not ${what} (redis): ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
}

// KEYS: meta hash, turns list. ARGV: max turns, TTL in seconds, the turn as JSON, the time now.
const appendIfPresentScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_active_at', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'turn_count', 1)
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[1]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1`;

// KEYS: meta hash, turns list. ARGV: TTL in seconds, the summary, how many turns it covers.
const setSummaryIfPresentScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'summary', ARGV[2], 'summary_covers', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1`;

type ExecResults = [Error | null, unknown][] | null;

function checked(results: ExecResults): ExecResults {
  if (!results) throw new Error("the transaction was discarded");
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  return results;
}

function resultOf<T>(results: ExecResults, index: number): T {
  return checked(results)?.[index]?.[1] as T;
}

function parseTurn(text: string): TurnRecord {
  return JSON.parse(text) as TurnRecord;
}
