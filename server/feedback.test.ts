import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, InMemorySessionStore, silentLogger } from "realtime-agent";
import { echoModel } from "realtime-agent/testing";
import { connect, RealtimeClientError } from "realtime-agent/client";
import { type AgentServer, createAgentServer } from "./app.ts";
import { ApiKeys, newApiKey } from "./auth/api-keys.ts";

// A real server with two users' keys: each rates only answers of their own sessions, over WebSocket or HTTP.
const alice = newApiKey("alice", ["chat"]);
const bob = newApiKey("bob", ["chat"]);
const ops = newApiKey("ops", ["metrics"]);
const store = new InMemorySessionStore();
let server: AgentServer;
let http: string;
let ws: string;

beforeAll(async () => {
  server = createAgentServer({
    agent: new Agent({ model: echoModel({ delayMs: 1 }), store }),
    logger: silentLogger,
    keys: new ApiKeys([alice.entry, bob.entry, ops.entry]),
  });
  const { port } = await server.listen(0);
  http = `http://127.0.0.1:${port}`;
  ws = `ws://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
});

const post = (key: string, path: string, body: unknown) =>
  fetch(`${http}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("feedback on answers", () => {
  it("takes a rating over WebSocket and over HTTP, lists them, and counts them in /metrics", async () => {
    const client = await connect(ws, { sessionId: "rated", apiKey: alice.key });
    const first = client.send("What's the capital of Peru?");
    await first.done;
    const second = client.send("And of Chile?");
    await second.done;
    await client.rate(first.turnId!, { rating: 1, comment: "spot on" });
    const refused = await client.rate("no-such-turn", { rating: 1 }).catch((error: unknown) => error);
    expect(RealtimeClientError.isInstance(refused) && refused.code).toBe("FEEDBACK_REFUSED");
    expect(String((refused as Error).message)).toContain("TURN_NOT_FOUND");
    await client.close();

    const rated = await post(alice.key, "/v1/sessions/rated/feedback", { turn_id: second.turnId, rating: -1 });
    expect(rated.status).toBe(201);
    expect(await rated.json()).toMatchObject({
      session_id: "rated",
      turn_id: second.turnId,
      kind: "rating",
      score: -1,
    });
    const malformed = await post(alice.key, "/v1/sessions/rated/feedback", { turn_id: second.turnId, rating: 5 });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("INPUT_MALFORMED");
    const empty = await post(alice.key, "/v1/sessions/rated/feedback", { turn_id: second.turnId });
    expect(empty.status).toBe(400);

    const listed = await fetch(`${http}/v1/sessions/rated/feedback`, {
      headers: { authorization: `Bearer ${alice.key}` },
    });
    const { feedback } = (await listed.json()) as { feedback: { turn_id: string; score: number; comment?: string }[] };
    expect(feedback.map(({ turn_id, score, comment }) => ({ turn_id, score, comment })).reverse()).toEqual([
      { turn_id: first.turnId, score: 1, comment: "spot on" },
      { turn_id: second.turnId, score: -1, comment: undefined },
    ]);

    const metrics = await (await fetch(`${http}/metrics`, { headers: { authorization: `Bearer ${ops.key}` } })).text();
    expect(metrics).toContain('agent_feedback_total{kind="rating",rating="good"} 1');
    expect(metrics).toContain('agent_feedback_total{kind="rating",rating="bad"} 1');
    expect(metrics).toMatch(/agent_satisfaction_ratio 0\.5\b/);
  });

  it("refuses a rating of another user's session or an unknown one, and leaves their feedback unseen", async () => {
    const client = await connect(ws, { sessionId: "mine", apiKey: alice.key });
    const turn = client.send("Hello");
    await turn.done;
    await client.close();
    // Bob's session of the same name is another session: he has none.
    const stranger = await post(bob.key, "/v1/sessions/mine/feedback", { turn_id: turn.turnId, rating: -1 });
    expect(stranger.status).toBe(404);
    expect((await stranger.json()).error.code).toBe("SESSION_NOT_FOUND");
    const unknown = await post(alice.key, "/v1/sessions/none/feedback", { turn_id: turn.turnId, rating: 1 });
    expect((await unknown.json()).error.code).toBe("SESSION_NOT_FOUND");
    const listed = await fetch(`${http}/v1/sessions/mine/feedback`, {
      headers: { authorization: `Bearer ${bob.key}` },
    });
    expect(listed.status).toBe(404);
  });

  it("limits ratings over HTTP per caller, as messages over the WebSocket: RATE_LIMITED beyond the burst", async () => {
    const client = await connect(ws, { sessionId: "many", apiKey: bob.key });
    const turn = client.send("Hello");
    await turn.done;
    await client.close();
    // Sent until one is refused (bounded): the bucket refills at 5 a second while they go out.
    let accepted = 0;
    let refused: Response | undefined;
    for (let index = 0; index < 80 && !refused; index++) {
      const response = await post(bob.key, "/v1/sessions/many/feedback", { turn_id: turn.turnId, rating: 1 });
      if (response.status === 201) accepted++;
      else refused = response;
    }
    // Bob rated once in the test before: about 19 of the burst of 20 are left.
    expect(accepted).toBeGreaterThanOrEqual(15);
    expect(refused?.status).toBe(429);
    expect((await refused!.json()).error).toMatchObject({ code: "RATE_LIMITED", retryable: true });
    // Another caller has a bucket of their own.
    const other = await post(alice.key, "/v1/sessions/many/feedback", { turn_id: turn.turnId, rating: 1 });
    expect((await other.json()).error.code).toBe("SESSION_NOT_FOUND");
  });
});
