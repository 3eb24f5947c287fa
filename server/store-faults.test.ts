import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import {
  Agent,
  BufferedSessionStore,
  migrate,
  postgresClient,
  RedisSessionStore,
  SqlSessionStore,
  silentLogger,
  TieredSessionStore,
} from "realtime-agent";
import { echoModel, TcpProxy } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "./app.ts";
import { TestClient } from "./test-support/ws-client.ts";
import { InMemoryRateLimiter } from "./ws/rate-limiter.ts";

// A real server on Redis in front of PostgreSQL, each reached through a proxy the test cuts: turns go
// on and none is lost, clients are told, /health says degraded. The fault tests of the storage issue.
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `rta_test_faults_${process.pid}_${Date.now().toString(36)}`;
const keyPrefix = `rta-test-faults-${process.pid}:`;
const cleanup: Array<() => Promise<unknown> | unknown> = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  const admin = postgresClient({ connectionString: databaseUrl });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
  const redis = new Redis(6379, "127.0.0.1");
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function startServer() {
  const [redisProxy, postgresProxy] = await Promise.all([TcpProxy.start(6379), TcpProxy.start(5432)]);
  const redis = new Redis(redisProxy.port, "127.0.0.1", {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  redis.on("error", () => {});
  const url = new URL(databaseUrl);
  url.port = String(postgresProxy.port);
  const client = postgresClient({ connectionString: url.toString(), schema, connectTimeoutMs: 1_000 });
  await migrate(client);
  let server: AgentServer | undefined;
  const durable = new BufferedSessionStore(new SqlSessionStore(client), {
    retryMs: 50,
    maxRetryMs: 200,
    onHealthChange: (health) => server?.announceStoreHealth(health),
  });
  const store = new TieredSessionStore(new RedisSessionStore(redis, { keyPrefix }), durable);
  server = createAgentServer({
    agent: new Agent({ model: echoModel({ delayMs: 2 }), store }),
    logger: silentLogger,
    // Every client here is one address; the test is about the stores, not message rates.
    gateway: { messageRate: new InMemoryRateLimiter({ burst: 1_000, perSecond: 1_000 }) },
  });
  const { port } = await server.listen(0);
  cleanup.push(
    () => server?.close(),
    () => store.close(),
    () => redis.disconnect(),
    () => redisProxy.close(),
    () => postgresProxy.close(),
  );
  return { server, store, redisProxy, postgresProxy, http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

const sessionNames = ["s1", "s2", "s3", "s4"];

/** Every client sends `count` messages one after the other; returns how many turns completed. */
async function converse(clients: TestClient[], prefix: string, count: number): Promise<number> {
  const completed = await Promise.all(
    clients.map(async (client) => {
      let done = 0;
      for (let index = 0; index < count; index++) {
        const frames = await client.turn({ type: "user_message", content: { text: `${prefix} ${index}` } });
        if (frames.at(-1)?.type === "agent_response_complete") done++;
      }
      return done;
    }),
  );
  return completed.reduce((sum, done) => sum + done, 0);
}

describe("store faults under load", () => {
  it("loses no turn when Redis is cut, then when PostgreSQL is cut, and says so while degraded", async () => {
    const { store, redisProxy, postgresProxy, http, ws } = await startServer();
    const clients = await Promise.all(sessionNames.map((name) => TestClient.connect(`${ws}/ws/${name}`)));
    cleanup.push(() => Promise.all(clients.map((client) => client.close())));

    expect(await converse(clients, "healthy", 3)).toBe(12);
    redisProxy.cut();
    expect(await converse(clients, "no redis", 3)).toBe(12);
    redisProxy.restore();

    postgresProxy.cut();
    expect(await converse(clients, "no postgres", 3)).toBe(12);
    const degraded = await (await fetch(`${http}/health`)).json();
    expect(degraded).toMatchObject({ status: "degraded", degraded: { buffered_writes: expect.any(Number) } });
    await clients[0]!.waitFor((frame) => frame.type === "system_event" && frame.content.event === "store_degraded");

    postgresProxy.restore();
    await clients[0]!.waitFor((frame) => frame.type === "system_event" && frame.content.event === "store_recovered");
    expect((await (await fetch(`${http}/health`)).json()).status).toBe("ok");

    // Every turn of every session is in PostgreSQL, in order: 0 lost.
    for (const name of sessionNames) {
      const history = await store.history(name);
      expect(history.map((turn) => turn.userText)).toEqual(
        ["healthy", "no redis", "no postgres"].flatMap((prefix) => [0, 1, 2].map((index) => `${prefix} ${index}`)),
      );
    }
    // And the context a session recalls now is complete, whichever tier it comes from.
    const recalled = await store.load("s1");
    expect(recalled.recentTurns.at(-1)?.userText).toBe("no postgres 2");
  });
});
