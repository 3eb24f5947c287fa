import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { runSessionStoreContract } from "../testing/contracts/session-store.ts";
import { runFeedbackStoreContract } from "../testing/contracts/feedback-store.ts";
import { runProfileStoreContract } from "../testing/contracts/profile-store.ts";
import { TcpProxy } from "../testing/tcp-proxy.ts";
import { sampleTurn as turn, turnIds as ids } from "../testing/turn-record.ts";
import { InMemorySessionStore } from "./in-memory-store.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import { SqlSessionStore } from "./sql-session-store.ts";
import { migrate } from "./sql/migrate.ts";
import { pgliteClient } from "./sql/pglite-client.ts";
import { TieredSessionStore } from "./tiered-session-store.ts";

const keyPrefix = `rta-test-tiered-${process.pid}-${Date.now().toString(36)}:`;
const redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
const opened: Redis[] = [];

afterAll(async () => {
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  for (const client of opened) client.disconnect();
});

// One embedded database for the contract's cases (each uses its own sessions), closed at the end.
const sharedPglite = pgliteClient(undefined).then(async (client) => {
  await migrate(client);
  return client;
});
afterAll(async () => (await sharedPglite).close());

runSessionStoreContract({
  name: "redis+pglite",
  createStore: async () => {
    const client = { ...(await sharedPglite), close: async () => {} };
    return new TieredSessionStore(
      new RedisSessionStore(redis, { contextTurns: 4, keyPrefix }),
      new SqlSessionStore(client, { contextTurns: 4 }),
      { contextTurns: 4 },
    );
  },
  contextTurns: 4,
});

runProfileStoreContract({
  name: "redis+pglite (kept by the durable tier)",
  createStore: async () =>
    new TieredSessionStore(
      new RedisSessionStore(redis, { contextTurns: 4, keyPrefix }),
      new SqlSessionStore({ ...(await sharedPglite), close: async () => {} }),
    ),
});

runFeedbackStoreContract({
  name: "redis+pglite (kept by the durable tier)",
  createStore: async () =>
    new TieredSessionStore(
      new RedisSessionStore(redis, { contextTurns: 4, keyPrefix }),
      new SqlSessionStore({ ...(await sharedPglite), close: async () => {} }),
    ),
});

/** Redis reached through a proxy that the test can cut, as when Redis stops or the network fails. */
async function cuttableRedis() {
  const proxy = await TcpProxy.start(6379);
  const client = new Redis(proxy.port, "127.0.0.1", {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  opened.push(client);
  await new Promise((resolve) => client.once("ready", resolve));
  return { proxy, hot: new RedisSessionStore(client, { keyPrefix, contextTurns: 4 }) };
}

describe("tiered session store", () => {
  it("refills Redis from the durable store when a session is not there", async () => {
    const durable = new InMemorySessionStore({ contextTurns: 4 });
    for (let index = 1; index <= 6; index++) await durable.appendTurn("refill-1", turn(index));
    const hot = new RedisSessionStore(redis, { keyPrefix, contextTurns: 4 });
    const store = new TieredSessionStore(hot, durable, { contextTurns: 4 });
    expect(ids((await store.load("refill-1")).recentTurns)).toEqual(["t3", "t4", "t5", "t6"]);
    expect(ids((await hot.load("refill-1")).recentTurns)).toEqual(["t3", "t4", "t5", "t6"]);
    await store.appendTurn("refill-1", turn(7));
    expect(ids((await hot.load("refill-1")).recentTurns)).toEqual(["t4", "t5", "t6", "t7"]);
  });

  it("goes on from the durable store while Redis is cut, loses no turn, and never serves a stale context", async () => {
    const { proxy, hot } = await cuttableRedis();
    const durable = new InMemorySessionStore({ contextTurns: 4 });
    const store = new TieredSessionStore(hot, durable, { contextTurns: 4 });
    await store.appendTurn("cut-1", turn(1));
    await store.load("cut-1"); // now held by Redis
    proxy.cut();
    for (let index = 2; index <= 4; index++) {
      await store.appendTurn("cut-1", turn(index));
      expect(ids((await store.load("cut-1")).recentTurns)).toEqual(
        ids([1, 2, 3, 4].slice(0, index).map((index) => turn(index))),
      );
    }
    expect(store.degraded).toBe(true);
    proxy.restore();
    // Redis still holds only t1: the first use after it is back drops that copy and refills it.
    await expect
      .poll(async () => (await store.load("cut-1")) && store.degraded, { interval: 100, timeout: 30_000 })
      .toBe(false);
    expect(ids((await store.load("cut-1")).recentTurns)).toEqual(["t1", "t2", "t3", "t4"]);
    expect(ids((await hot.load("cut-1")).recentTurns)).toEqual(["t1", "t2", "t3", "t4"]);
    expect(ids(await durable.history("cut-1"))).toEqual(["t1", "t2", "t3", "t4"]);
    await proxy.close();
  });

  it("deletes a session from both tiers", async () => {
    const durable = new InMemorySessionStore();
    const hot = new RedisSessionStore(redis, { keyPrefix });
    const store = new TieredSessionStore(hot, durable);
    await store.appendTurn("delete-1", turn(1));
    await store.load("delete-1");
    await store.deleteSession("delete-1");
    expect(await hot.loadIfPresent("delete-1")).toBeUndefined();
    expect(await durable.history("delete-1")).toEqual([]);
  });
});
