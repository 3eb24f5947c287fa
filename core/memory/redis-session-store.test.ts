import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { runSessionStoreContract } from "../testing/contracts/session-store.ts";
import { sampleTurn as turn } from "../testing/turn-record.ts";
import { RedisSessionStore } from "./redis-session-store.ts";

const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const keyPrefix = `rta-test-${process.pid}-${Date.now().toString(36)}:`;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

afterAll(async () => {
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

runSessionStoreContract({
  name: "redis",
  createStore: () => new RedisSessionStore(redis, { contextTurns: 4, keyPrefix }),
  contextTurns: 4,
});

describe("Redis session store", () => {
  it("expires a session left unused, and renews the time on every use", async () => {
    const store = new RedisSessionStore(redis, { keyPrefix, ttlMs: 60_000 });
    await store.appendTurn("ttl-1", turn(1));
    const key = `${keyPrefix}session:{ttl-1}:turns`;
    expect(await redis.ttl(key)).toBeGreaterThan(50);
    await redis.expire(key, 5);
    await redis.expire(`${keyPrefix}session:{ttl-1}:meta`, 5);
    await store.load("ttl-1");
    expect(await redis.ttl(key)).toBeGreaterThan(50);
  });

  it("keeps at most maxTurnsPerSession turns, the newest", async () => {
    const store = new RedisSessionStore(redis, { keyPrefix, maxTurnsPerSession: 3 });
    for (let index = 1; index <= 5; index++) await store.appendTurn("cap-1", turn(index));
    expect((await store.history("cap-1")).map((record) => record.turnId)).toEqual(["t3", "t4", "t5"]);
  });

  it("fails fast with a typed, retryable error when Redis cannot be reached", async () => {
    const unreachable = new Redis("redis://127.0.0.1:9", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const store = new RedisSessionStore(unreachable, { keyPrefix });
    await expect(store.load("any")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true });
    unreachable.disconnect();
  });
});
