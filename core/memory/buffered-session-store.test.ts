import { afterAll, describe, expect, it } from "vitest";
import type { StoreHealth } from "../contracts/store.ts";
import { runSessionStoreContract } from "../testing/contracts/session-store.ts";
import { TcpProxy } from "../testing/tcp-proxy.ts";
import { sampleTurn as turn, turnIds as ids } from "../testing/turn-record.ts";
import { BufferedSessionStore } from "./buffered-session-store.ts";
import { InMemorySessionStore } from "./in-memory-store.ts";
import { SqlSessionStore } from "./sql-session-store.ts";
import { migrate } from "./sql/migrate.ts";
import { postgresClient } from "./sql/postgres-client.ts";

const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `rta_test_buffered_${process.pid}_${Date.now().toString(36)}`;
const proxies: TcpProxy[] = [];

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  const admin = postgresClient({ connectionString: databaseUrl });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
});

runSessionStoreContract({
  name: "buffered memory",
  createStore: () => new BufferedSessionStore(new InMemorySessionStore({ contextTurns: 4 }), { contextTurns: 4 }),
  contextTurns: 4,
});

/** The real PostgreSQL behind a proxy the test cuts, as when the database goes away from the network. */
async function cuttableDatabase(options: { maxBuffered?: number } = {}) {
  const proxy = await TcpProxy.start(5432);
  proxies.push(proxy);
  const url = new URL(databaseUrl);
  url.port = String(proxy.port);
  const client = postgresClient({ connectionString: url.toString(), schema, connectTimeoutMs: 1_000 });
  await migrate(client);
  const changes: StoreHealth[] = [];
  const store = new BufferedSessionStore(new SqlSessionStore(client, { contextTurns: 4 }), {
    contextTurns: 4,
    retryMs: 50,
    maxRetryMs: 200,
    onHealthChange: (health) => changes.push(health),
    ...options,
  });
  return { proxy, store, changes };
}

describe("buffered session store on PostgreSQL", () => {
  it("buffers turns in order while the database is cut, keeps answering from them, and writes them all back", async () => {
    const { proxy, store, changes } = await cuttableDatabase();
    await store.appendTurn("fault-1", turn(1));
    proxy.cut();
    for (let index = 2; index <= 6; index++) {
      await store.appendTurn("fault-1", turn(index));
      expect(ids((await store.load("fault-1")).recentTurns)).toEqual(
        ids([2, 3, 4, 5, 6].slice(0, index - 1).map((index) => turn(index))).slice(-4),
      );
    }
    await store.appendTurn("fault-2", turn(1));
    expect(store.health()).toMatchObject({ degraded: true, bufferedWrites: 6 });
    expect(changes).toEqual([expect.objectContaining({ degraded: true })]);

    proxy.restore();
    await expect.poll(() => store.health().degraded, { interval: 50, timeout: 60_000 }).toBe(false);
    expect(changes.at(-1)).toEqual({ degraded: false });
    expect(ids(await store.history("fault-1"))).toEqual(["t1", "t2", "t3", "t4", "t5", "t6"]);
    expect(ids(await store.history("fault-2"))).toEqual(["t1"]);
    await store.close();
  });

  it("bounds the buffer: past it a turn fails with STORE_UNAVAILABLE instead of being dropped silently", async () => {
    const { proxy, store } = await cuttableDatabase({ maxBuffered: 2 });
    proxy.cut();
    await store.appendTurn("bound-1", turn(1));
    await store.appendTurn("bound-1", turn(2));
    await expect(store.appendTurn("bound-1", turn(3))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    proxy.restore();
    await expect.poll(() => store.health().degraded, { interval: 50, timeout: 60_000 }).toBe(false);
    expect(ids(await store.history("bound-1"))).toEqual(["t1", "t2"]);
    await store.close();
  });
});
