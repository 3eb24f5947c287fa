import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, InMemorySessionStore, silentLogger } from "realtime-agent";
import { echoModel } from "realtime-agent/testing";
import { connect } from "realtime-agent/client";
import { type AgentServer, createAgentServer } from "./app.ts";
import { ApiKeys, newApiKey } from "./auth/api-keys.ts";

// A real server with profiles on: each user sees and deletes what was learned of them, and only that.
const alice = newApiKey("alice", ["chat"]);
const bob = newApiKey("bob", ["chat"]);
let server: AgentServer;
let http: string;

beforeAll(async () => {
  server = createAgentServer({
    agent: new Agent({ model: echoModel({ delayMs: 1 }), store: new InMemorySessionStore(), profiles: true }),
    logger: silentLogger,
    keys: new ApiKeys([alice.entry, bob.entry]),
  });
  const { port } = await server.listen(0);
  http = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
});

const call = (key: string, method = "GET") =>
  fetch(`${http}/v1/profile`, { method, headers: { authorization: `Bearer ${key}` } });

describe("profile API", () => {
  it("shows the caller what was learned of them, and deletes it on request", async () => {
    expect((await call(alice.key)).status).toBe(404);
    const client = await connect(`ws://127.0.0.1:${new URL(http).port}`, { sessionId: "trip", apiKey: alice.key });
    for (const text of ["Respuestas breves, por favor", "¿Cuánto cuesta un vuelo a Lima?"])
      await client.send(text).done;
    await client.close();
    await expect.poll(async () => ((await (await call(alice.key)).json()) as { turns?: number }).turns).toBe(2);
    const profile = (await (await call(alice.key)).json()) as Record<string, unknown>;
    expect(profile).toMatchObject({ turns: 2, languages: { es: expect.any(Number) } });
    expect(profile.answer_length as number).toBeLessThan(-0.5);
    expect(Object.keys(profile.topics as object).sort()).toEqual(["money", "travel"]);
    expect((await call(bob.key)).status).toBe(404);

    expect((await call(alice.key, "DELETE")).status).toBe(204);
    const gone = await call(alice.key);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("PROFILE_NOT_FOUND");
    expect((await call(alice.key, "DELETE")).status).toBe(404);
    expect((await call("not-a-key")).status).toBe(401);
  });
});
