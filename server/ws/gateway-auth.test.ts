import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Agent, errorCodes, type ModelRequest, silentLogger } from "realtime-agent";
import { connect as connectClient } from "realtime-agent/client";
import { ScriptedModel } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "../app.ts";
import { ApiKeys, newApiKey } from "../auth/api-keys.ts";

// A real server with API keys and real WebSocket clients: who may connect, and whose sessions they reach.
const alice = newApiKey("alice", ["chat"]);
const bob = newApiKey("bob", ["chat"]);
const monitor = newApiKey("monitor", ["metrics"]);
const keys = new ApiKeys([alice.entry, bob.entry, monitor.entry]);

let server: AgentServer | undefined;
let requests: ModelRequest[];

async function start(options: { allowedOrigins?: string[] } = {}): Promise<{ ws: string; http: string }> {
  requests = [];
  const answer = (text: string) => ({ text, expect: (request: ModelRequest) => void requests.push(request) });
  server = createAgentServer({
    agent: new Agent({
      model: new ScriptedModel([answer("Your card 4111 1111 1111 1111 is noted."), answer("Hi Bob.")]),
    }),
    logger: silentLogger,
    keys,
    ...options,
  });
  const { port } = await server.listen(0);
  return { ws: `ws://127.0.0.1:${port}`, http: `http://127.0.0.1:${port}` };
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Opened = {
  socket: WebSocket;
  frames: Array<{ type: string; session_id: string; content: Record<string, unknown> }>;
};

function connect(url: string, options: WebSocket.ClientOptions & { protocols?: string[] } = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], options);
    const frames: Opened["frames"] = [];
    socket.on("message", (data) => frames.push(JSON.parse(`${data}`)));
    socket.once("open", () => resolve({ socket, frames }));
    socket.once("unexpected-response", (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    socket.once("error", reject);
  });
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

async function turn(opened: Opened, text: string): Promise<void> {
  const before = opened.frames.length;
  opened.socket.send(JSON.stringify({ text }));
  await expect
    .poll(() => opened.frames.slice(before).some((frame) => frame.type === "agent_response_complete"))
    .toBe(true);
}

describe("WebSocket with API keys", () => {
  it("refuses an upgrade without a key (401) or with a key lacking the chat scope (403)", async () => {
    const { ws } = await start();
    await expect(connect(`${ws}/ws/trip`)).rejects.toThrow("status 401");
    await expect(connect(`${ws}/ws/trip`, bearer("rta_not-a-key"))).rejects.toThrow("status 401");
    await expect(connect(`${ws}/ws/trip`, bearer(monitor.key))).rejects.toThrow("status 403");
  });

  it("takes the key from the Authorization header or, for browsers, a subprotocol, and never echoes it", async () => {
    const { ws } = await start();
    const byHeader = await connect(`${ws}/ws/a`, bearer(alice.key));
    const byProtocol = await connect(`${ws}/ws/b`, { protocols: ["rta.v1", `rta.key.${alice.key}`] });
    expect(byProtocol.socket.protocol).toBe("rta.v1");
    byHeader.socket.close();
    byProtocol.socket.close();
  });

  it("keeps a session to the key that made it: another key with the same name reads nothing of it", async () => {
    const { ws } = await start();
    const alices = await connect(`${ws}/ws/trip`, bearer(alice.key));
    await turn(alices, "My card is 4111 1111 1111 1111.");
    // Bob knows the name and asks for the whole replay: he gets a session of his own, empty.
    const bobs = await connect(`${ws}/ws/trip?last_seq=0`, bearer(bob.key));
    await turn(bobs, "What did I say before?");
    expect(bobs.frames.map((frame) => JSON.stringify(frame)).join("\n")).not.toContain("4111");
    expect(bobs.frames[0]).toMatchObject({ type: "turn_start", session_id: "trip" });
    // The model, asked for Bob, saw no message of Alice's.
    expect(JSON.stringify(requests[1]!.messages)).not.toContain("4111");
    // Alice resuming gets her frames back.
    const again = await connect(`${ws}/ws/trip?last_seq=0`, bearer(alice.key));
    await expect.poll(() => again.frames.some((frame) => frame.type === "agent_response_complete")).toBe(true);
    for (const opened of [alices, bobs, again]) opened.socket.close();
  });

  it("issues a session id on /ws and resumes it under its name", async () => {
    const { ws } = await start();
    const fresh = await connect(`${ws}/ws`, bearer(alice.key));
    await expect.poll(() => fresh.frames.length).toBe(1);
    const ready = fresh.frames[0]!;
    expect(ready).toMatchObject({ type: "system_event", content: { event: "session_ready" } });
    const sessionId = ready.session_id;
    expect(sessionId).toMatch(/^s_[0-9a-f]{32}$/);
    expect(ready.content.data).toEqual({ session_id: sessionId });
    await turn(fresh, "hello");
    fresh.socket.close();
    const resumed = await connect(`${ws}/ws/${sessionId}?last_seq=0`, bearer(alice.key));
    await expect.poll(() => resumed.frames.some((frame) => frame.type === "agent_response_complete")).toBe(true);
    expect(new Set(resumed.frames.map((frame) => frame.session_id))).toEqual(new Set([sessionId]));
    resumed.socket.close();
  });
});

describe("the typed client with a key", () => {
  it("connects with apiKey, and fails to connect without it", async () => {
    const { ws } = await start();
    const client = await connectClient(ws, { sessionId: "typed", apiKey: alice.key, resume: false });
    expect(await client.send("hello").done).toMatchObject({ type: "agent_response_complete" });
    await client.close();
    await expect(connectClient(ws, { sessionId: "typed", resume: false })).rejects.toThrow();
  });
});

describe("WebSocket origins", () => {
  it("refuses pages of other sites (cross-site WebSocket hijacking), allows its own and listed ones", async () => {
    const { ws, http } = await start({ allowedOrigins: ["https://app.example"] });
    const from = (origin: string) => connect(`${ws}/ws/o`, { ...bearer(alice.key), origin });
    await expect(from("https://evil.example")).rejects.toThrow("status 403");
    for (const origin of [http, "https://app.example"]) (await from(origin)).socket.close();
  });
});

describe("HTTP with API keys", () => {
  it("shows /metrics and /health's details only to keys with the metrics scope", async () => {
    const { http } = await start();
    const anonymous = await fetch(`${http}/metrics`);
    expect(anonymous.status).toBe(errorCodes.AUTH_REQUIRED.httpStatus);
    expect((await anonymous.json()).error.code).toBe("AUTH_REQUIRED");
    const chatOnly = await fetch(`${http}/metrics`, bearer(alice.key));
    expect(chatOnly.status).toBe(errorCodes.AUTH_FORBIDDEN.httpStatus);
    expect((await chatOnly.json()).error.code).toBe("AUTH_FORBIDDEN");
    const metrics = await fetch(`${http}/metrics`, bearer(monitor.key));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("agent_messages_total");
    expect(await (await fetch(`${http}/health`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${http}/health`, bearer(monitor.key))).json()).toMatchObject({
      status: "ok",
      tools: expect.any(Array),
    });
  });

  it("lets /v1 be used with a chat key only", async () => {
    const { http } = await start();
    expect((await fetch(`${http}/v1/models`, bearer(alice.key))).status).toBe(200);
    const forbidden = await fetch(`${http}/v1/models`, bearer(monitor.key));
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("insufficient_scope");
  });
});
