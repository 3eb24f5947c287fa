import { afterAll, describe, expect, it } from "vitest";
import { type StoreFaultServer, startStoreFaultServer } from "./test-support/store-fault-server.ts";
import { TestClient } from "./test-support/ws-client.ts";

// A real server on Redis in front of PostgreSQL, each reached through a proxy the test cuts: turns go
// on and none is lost, clients are told, /health says degraded. The fault tests of the storage issue.
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
let faultServer: StoreFaultServer | undefined;
afterAll(async () => faultServer?.close());

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
    faultServer = await startStoreFaultServer({
      databaseUrl,
      schema: `rta_test_faults_${process.pid}_${Date.now().toString(36)}`,
      keyPrefix: `rta-test-faults-${process.pid}:`,
      retryMs: 50,
      maxRetryMs: 200,
    });
    const { store, redisProxy, postgresProxy, http, ws } = faultServer;
    const clients = await Promise.all(sessionNames.map((name) => TestClient.connect(`${ws}/ws/${name}`)));

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
    // Redis's copies of the sessions written while it was cut are dropped in the background, then: ok.
    await expect
      .poll(async () => (await (await fetch(`${http}/health`)).json()).status, { interval: 100, timeout: 30_000 })
      .toBe("ok");

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
    await Promise.all(clients.map((client) => client.close()));
  });
});
