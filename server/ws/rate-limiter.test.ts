import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { InMemoryRateLimiter, RedisRateLimiter } from "./rate-limiter.ts";

// The Redis limiter runs against the machine's real Redis (127.0.0.1:6379).
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
afterAll(() => redis.quit());

describe("message rate limiters", () => {
  it("in memory: a burst, then one more per refill interval, per client", () => {
    let now = 0;
    const limiter = new InMemoryRateLimiter({ burst: 2, perSecond: 1 }, () => now);
    expect([limiter.takeNow("a"), limiter.takeNow("a"), limiter.takeNow("a")]).toEqual([true, true, false]);
    expect(limiter.takeNow("b")).toBe(true);
    now += 1_000;
    expect([limiter.takeNow("a"), limiter.takeNow("a")]).toEqual([true, false]);
  });

  it("in Redis: one bucket per client shared by every instance that uses the same Redis", async () => {
    const prefix = `rta:test:${randomUUID()}:`;
    const first = new RedisRateLimiter(redis, { burst: 3, perSecond: 0.001 }, prefix);
    const second = new RedisRateLimiter(redis, { burst: 3, perSecond: 0.001 }, prefix);
    const taken = [await first.take("alice"), await second.take("alice"), await first.take("alice")];
    expect(taken).toEqual([true, true, true]);
    expect(await second.take("alice")).toBe(false);
    expect(await first.take("bob")).toBe(true);
    expect(await redis.pttl(`${prefix}alice`)).toBeGreaterThan(0);
  });

  it("falls back to the instance's own buckets when Redis cannot answer", async () => {
    const down = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    down.on("error", () => undefined);
    const limiter = new RedisRateLimiter(down, { burst: 1, perSecond: 0.001 });
    expect([await limiter.take("carol"), await limiter.take("carol")]).toEqual([true, false]);
    down.disconnect();
  });
});
