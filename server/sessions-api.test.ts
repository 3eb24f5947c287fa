import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, errorCodes, InMemorySessionStore, silentLogger } from "realtime-agent";
import { echoModel } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "./app.ts";
import { ApiKeys, newApiKey } from "./auth/api-keys.ts";
import { TestClient } from "./test-support/ws-client.ts";

// A real server with two users' keys; each exports and deletes only their own sessions.
const alice = newApiKey("alice", ["chat"]);
const bob = newApiKey("bob", ["chat"]);
const store = new InMemorySessionStore();
let server: AgentServer;
let http: string;
let ws: string;

beforeAll(async () => {
  server = createAgentServer({
    agent: new Agent({ model: echoModel({ delayMs: 5 }), store }),
    logger: silentLogger,
    keys: new ApiKeys([alice.entry, bob.entry]),
  });
  const { port } = await server.listen(0);
  http = `http://127.0.0.1:${port}`;
  ws = `ws://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
});

const as = (key: string, method = "GET") => ({ method, headers: { authorization: `Bearer ${key}` } });

async function chat(key: string, session: string, text: string): Promise<TestClient> {
  const client = await TestClient.connect(`${ws}/ws/${session}`, { headers: { authorization: `Bearer ${key}` } });
  await client.turn({ type: "user_message", content: { text } });
  return client;
}

describe("sessions API", () => {
  it("exports the caller's session as JSON, and hides it from anyone else", async () => {
    const client = await chat(alice.key, "trip", "I have 300,000 yen");
    await client.close();
    const response = await fetch(`${http}/v1/sessions/trip`, as(alice.key));
    expect(response.status).toBe(200);
    const exported = await response.json();
    expect(exported).toMatchObject({
      session_id: "trip",
      turn_count: 1,
      summary: null,
      turns: [{ user_text: "I have 300,000 yen", assistant_text: "you said: I have 300,000 yen", tool_calls: [] }],
    });
    expect(exported.turns[0].timings.total_ms).toBeGreaterThan(0);
    expect(JSON.stringify(exported)).not.toContain("alice/");

    const asBob = await fetch(`${http}/v1/sessions/trip`, as(bob.key));
    expect(asBob.status).toBe(404);
    expect(await asBob.json()).toMatchObject({ error: { code: "SESSION_NOT_FOUND", retryable: false } });
    expect((await fetch(`${http}/v1/sessions/trip`)).status).toBe(401);
  });

  it("deletes one session: gone from the store, its open connection closed with SESSION_DELETED", async () => {
    const client = await chat(alice.key, "to-delete", "remember 42");
    const closed = new Promise<number>((resolve) => client.socket.once("close", (code) => resolve(code)));
    expect((await fetch(`${http}/v1/sessions/to-delete`, as(bob.key, "DELETE"))).status).toBe(404);
    expect((await fetch(`${http}/v1/sessions/to-delete`, as(alice.key, "DELETE"))).status).toBe(204);
    expect(await closed).toBe(errorCodes.SESSION_DELETED.webSocketCloseCode);
    expect(await store.history("alice/to-delete")).toEqual([]);
    expect((await fetch(`${http}/v1/sessions/to-delete`, as(alice.key))).status).toBe(404);
  });

  it("deletes all of a user's sessions and nobody else's", async () => {
    for (const name of ["a", "b"]) await (await chat(bob.key, name, `hello ${name}`)).close();
    await (await chat(alice.key, "kept", "keep me")).close();
    const response = await fetch(`${http}/v1/sessions`, as(bob.key, "DELETE"));
    expect(await response.json()).toEqual({ deleted: 2 });
    expect(await store.describe("bob/a")).toBeUndefined();
    expect(await store.describe("bob/b")).toBeUndefined();
    expect(await store.describe("alice/kept")).toMatchObject({ owner: "alice" });
  });
});
