import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../contracts/logger.ts";
import type { SessionLock } from "../contracts/store.ts";
import { sleep } from "../models/fallback/retry.ts";
import { silentLogger } from "../telemetry/logger.ts";

/** Deletes or renews the lock only while it is still this holder's. */
const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const renewScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

export interface RedisSessionLockOptions {
  /** Key prefix (default "rta:lock:"). */
  prefix?: string;
  /** A holder that stops renewing (its process died) loses the lock after this long (default 10 s). */
  leaseMs?: number;
  logger?: Logger;
}

/**
 * A session lock on Redis: `SET NX PX` with a random token, renewed at a third of the lease while held,
 * released only by its holder. Waiters poll with a growing pause (25 ms up to 250 ms), so the order in
 * which waiting turns start is not guaranteed, only that they do not overlap. When Redis
 * cannot be reached the turn goes on without the lock (logged): answering matters more than ordering
 * between instances, and each process still orders its own turns.
 */
export class RedisSessionLock implements SessionLock {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #leaseMs: number;
  readonly #logger: Logger;

  constructor(redis: Redis, options: RedisSessionLockOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? "rta:lock:";
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#logger = options.logger ?? silentLogger;
  }

  async acquire(sessionId: string, signal?: AbortSignal): Promise<() => void> {
    const key = `${this.#prefix}${sessionId}`;
    const token = randomUUID();
    let pauseMs = 25;
    for (;;) {
      signal?.throwIfAborted();
      let taken: string | null;
      try {
        taken = await this.#redis.set(key, token, "PX", this.#leaseMs, "NX");
      } catch (error) {
        this.#logger.warn("session lock unavailable: the turn goes on without it", {
          sessionId,
          error: error instanceof Error ? error.message : String(error),
        });
        return () => {};
      }
      if (taken === "OK") return this.#held(key, token);
      await sleep(pauseMs, signal);
      pauseMs = Math.min(250, pauseMs * 2);
    }
  }

  #held(key: string, token: string): () => void {
    const renewal = setInterval(() => {
      this.#redis.eval(renewScript, 1, key, token, this.#leaseMs).then(
        (renewed) => {
          if (renewed === 0) this.#logger.warn("session lock lost before the turn ended (its lease ran out)", { key });
        },
        () => {},
      );
    }, this.#leaseMs / 3);
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      this.#redis.eval(releaseScript, 1, key, token).catch(() => {});
    };
  }
}
