import { randomUUID } from "node:crypto";
import type { ServerFrame } from "realtime-agent/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "./server-process.ts";
import { type RoundRobinProxy, startRoundRobinProxy } from "./test-support/round-robin-proxy.ts";
import { TestClient } from "./test-support/ws-client.ts";

// Three server processes share Redis (frames, control) and PostgreSQL (history) behind a proxy that
// sends each connection to the next instance, as a load balancer without affinity does.
const tokens = 120;
const run = randomUUID().slice(0, 8);
const env = {
  RTA_MODEL: "synthetic",
  RTA_SYNTHETIC_TOKENS: String(tokens),
  RTA_SYNTHETIC_TOKEN_INTERVAL_MS: "10",
  RTA_STORE: "postgres",
  // A schema of this run's own: the three instances migrate it together, apart from other tests' tables.
  RTA_DATABASE_SCHEMA: `rta_cluster_${run}`,
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  RTA_SESSION_BUS: "redis",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};

let instances: ServerProcess[] = [];
let proxy: RoundRobinProxy;

beforeAll(async () => {
  instances = await Promise.all([0, 1, 2].map(() => startServerProcess(env)));
  proxy = await startRoundRobinProxy(instances.map((instance) => ({ host: "127.0.0.1", port: portOf(instance) })));
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((instance) => instance.stop()));
});

function portOf(instance: ServerProcess): number {
  return Number(new URL(instance.url).port);
}

const seqOf = (frame: ServerFrame) => (frame as unknown as { seq: number }).seq;
const through = (path: string) => `ws://${proxy.address}${path}`;

describe("a session shared by three instances", () => {
  it("reaches a client moved from instance to instance mid-answer with every frame, once and in order", async () => {
    const session = `moved-${run}`;
    const received: ServerFrame[] = [];
    let client = await TestClient.connect(through(`/ws/${session}`));
    client.send({ text: "Tell me a long story." });
    const instancesUsed = new Set([proxy.routed.at(-1)]);
    // Reconnect after every 20 frames: each time through the proxy, so to the next instance.
    for (;;) {
      const current = client;
      const frames = await current.waitFor(
        (frame) => frame.type === "agent_response_complete" || current.frames.indexOf(frame) >= 19,
      );
      received.push(...frames);
      if (frames.at(-1)!.type === "agent_response_complete") break;
      await client.close();
      const lastSeq = seqOf(received.at(-1)!);
      client = await TestClient.connect(through(`/ws/${session}?last_seq=${lastSeq}`));
      instancesUsed.add(proxy.routed.at(-1));
    }
    await client.close();

    expect(instancesUsed.size).toBe(3);
    const seqs = received.map(seqOf);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => index + 1));
    const chunks = received.filter((frame) => frame.type === "agent_response_chunk");
    expect(chunks).toHaveLength(tokens);
    const complete = received.at(-1) as ServerFrame & { content: { text: string } };
    expect(chunks.map((frame) => (frame.content as { text: string }).text).join("")).toBe(complete.content.text);
  });

  it("continues on another instance with the history the first one stored", async () => {
    const session = `continued-${run}`;
    const first = await TestClient.connect(through(`/ws/${session}`));
    expect((await first.turn({ text: "My budget is 300,000 yen" })).at(-1)!.type).toBe("agent_response_complete");
    await first.close();
    const second = await TestClient.connect(through(`/ws/${session}`));
    const frames = await second.turn({ text: "And the flight costs 120,000 yen" });
    expect(frames.at(-1)!.type).toBe("agent_response_complete");
    // Numbering goes on where the first instance left it.
    expect(seqOf(frames[0]!)).toBe(tokens + 3);
    await second.close();
    const exported = await (await fetch(`${instances[2]!.url}/v1/sessions/${session}`)).json();
    expect(exported.turns.map((turn: { user_text: string }) => turn.user_text)).toEqual([
      "My budget is 300,000 yen",
      "And the flight costs 120,000 yen",
    ]);
  });

  it("cancels a turn from another instance than the one running it", async () => {
    const session = `cancelled-${run}`;
    const runner = await TestClient.connect(through(`/ws/${session}`));
    const runnerInstance = proxy.routed.at(-1);
    runner.send({ text: "Tell me a long story." });
    await runner.waitFor((frame) => frame.type === "agent_response_chunk");
    const canceller = await TestClient.connect(through(`/ws/${session}`));
    expect(proxy.routed.at(-1)).not.toBe(runnerInstance);
    canceller.send({ type: "cancel" });
    const frames = await runner.waitFor((frame) => frame.type === "agent_response_complete");
    expect(frames.at(-1)!.content).toMatchObject({ outcome: "aborted" });
    expect(frames.filter((frame) => frame.type === "agent_response_chunk").length).toBeLessThan(tokens);
    // The other instance's socket saw the same end of the turn.
    await canceller.waitFor((frame) => frame.type === "agent_response_complete");
    await Promise.all([runner.close(), canceller.close()]);
  });

  it("closes a deleted session's sockets on every instance", async () => {
    const session = `deleted-${run}`;
    const clients = [
      await TestClient.connect(through(`/ws/${session}`)),
      await TestClient.connect(through(`/ws/${session}`)),
    ];
    await clients[0]!.turn({ text: "Hello" });
    const closed = clients.map(
      (client) => new Promise<number>((resolve) => client.socket.once("close", (code) => resolve(code))),
    );
    const response = await fetch(`${instances[0]!.url}/v1/sessions/${session}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await Promise.all(closed)).toEqual([4010, 4010]);
  });

  // Last: it kills an instance.
  it("tells a client whose turn died with its instance (SERVER_INSTANCE_STOPPED), and answers it again elsewhere", async () => {
    const session = `lost-${run}`;
    const client = await TestClient.connect(through(`/ws/${session}`));
    const victim = instances[proxy.routed.at(-1)!]!;
    client.send({ type: "user_message", message_id: "m-1", content: { text: "Tell me a long story." } });
    const before = await client.waitFor((frame) => frame.type === "agent_response_chunk");
    const closed = new Promise((resolve) => client.socket.once("close", resolve));
    victim.child.kill("SIGKILL");
    await closed;

    // Reconnect through the proxy until a live instance answers (the dead one refuses).
    let resumed: TestClient | undefined;
    while (!resumed)
      resumed = await TestClient.connect(through(`/ws/${session}?last_seq=${seqOf(before.at(-1)!)}`)).catch(
        () => undefined,
      );
    const lost = await resumed.waitFor((frame) => frame.type === "error");
    expect(lost.at(-1)).toMatchObject({
      type: "error",
      content: { code: "SERVER_INSTANCE_STOPPED", retryable: true },
      context: { turn_id: (before[0]!.content as { turn_id: string }).turn_id, reply_to: "m-1" },
    });
    const again = await resumed.turn({ text: "Tell me a long story." });
    expect(again.at(-1)!.type).toBe("agent_response_complete");
    await resumed.close();
  });
});
