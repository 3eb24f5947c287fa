import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { postgresClient } from "realtime-agent";
import { startServerProcess, type ServerProcess } from "./server-process.ts";
import { frameOfType, TestClient } from "./test-support/ws-client.ts";

// A real server process with the real local model, over real HTTP and WebSocket on a free port.
let server: ServerProcess;
const clients: TestClient[] = [];

async function connect(sessionId: string, query = ""): Promise<TestClient> {
  const client = await TestClient.connect(`${server.wsUrl}/ws/${sessionId}${query}`);
  clients.push(client);
  return client;
}

// Sessions in the machine's PostgreSQL, in a schema of this run's own (dropped at the end).
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `rta_e2e_${process.pid}_${Date.now().toString(36)}`;

beforeAll(async () => {
  server = await startServerProcess({
    // Token-by-token streaming is what is checked here; the output guard streams sentence by sentence
    // (core/agent/agent-safety.test.ts checks that).
    RTA_GUARD_OUTPUT: "off",
    RTA_MAX_FRAME_BYTES: "2048",
    DATABASE_URL: databaseUrl,
    RTA_DATABASE_SCHEMA: schema,
  });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  const exitCode = await server?.stop();
  expect(exitCode).toBe(0);
  const admin = postgresClient({ connectionString: databaseUrl });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
});

describe("server over HTTP", () => {
  it("answers /health", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      protocol: "rta.v1",
      provider: "local",
      tools: ["calculator", "currency", "weather", "web_search", "market_price"],
      // What each part runs on, so that nothing configured is silently ignored.
      running_on: { model: "local", sessions: "postgres (DATABASE_URL)", message_rates: "this process" },
    });
  });

  it("serves the chat page", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain('src="/chat.js"');
  });

  it("serves the page script bundled with the typed client, as one module that imports nothing", async () => {
    const response = await fetch(`${server.url}/chat.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/javascript");
    const script = await response.text();
    expect(script).toContain("last_seq");
    // Only the dynamic import("ws") that Node uses where it has no WebSocket; browsers never run it.
    expect(script.match(/\bimport\b\s*[("'{*]/g)).toEqual(["import("]);
    expect(script).toContain('import("ws")');
  });

  it("refuses an invalid session id at the upgrade", async () => {
    await expect(TestClient.connect(`${server.wsUrl}/ws/${"x".repeat(200)}`)).rejects.toThrow("HTTP 400");
  });
});

describe("WebSocket protocol rta.v1 with the local model", () => {
  it("runs the seed's short form end to end: tool call, streamed chunks, completion", async () => {
    const client = await connect("e2e-calc");
    const frames = await client.turn({ text: "What is 12.5% of 3,480?" });

    expect(frames.map((frame) => frame.seq)).toEqual(frames.map((_, index) => index + 1));
    for (const frame of frames) {
      expect(frame).toMatchObject({ session_id: "e2e-calc", context: { protocol: "rta.v1" } });
      expect(typeof frame.message_id).toBe("string");
      expect(Number.isNaN(Date.parse(frame.timestamp))).toBe(false);
    }
    const types = frames.map((frame) => frame.type);
    expect(types[0]).toBe("turn_start");
    expect(types.at(-1)).toBe("agent_response_complete");
    const toolCall = frames.find((frame) => frame.type === "tool_call");
    const toolResult = frames.find((frame) => frame.type === "tool_result");
    expect(toolCall?.content).toMatchObject({ name: "calculator" });
    expect(toolResult?.content).toMatchObject({
      name: "calculator",
      call_id: toolCall?.content.call_id,
      result: { result: 435 },
    });
    const chunks = frames.filter((frame) => frame.type === "agent_response_chunk");
    expect(chunks.length).toBeGreaterThan(1);
    const complete = frames.at(-1)!.content as {
      text: string;
      answer_segment: number;
      usage: { output_tokens: number };
      timings: { total_ms: number };
    };
    // The answer follows the tool round, so it is segment 1 or later; its chunks add up to the final text.
    expect(complete.answer_segment).toBeGreaterThanOrEqual(1);
    const answerChunks = chunks.filter((frame) => frame.content.segment === complete.answer_segment);
    expect(answerChunks.length).toBeGreaterThan(1);
    expect(complete.text).toBe(answerChunks.map((frame) => frame.content.text).join(""));
    expect(complete.usage.output_tokens).toBeGreaterThan(0);
    expect(complete.timings.total_ms).toBeGreaterThan(0);
  });

  it("accepts the full envelope and keeps two sessions apart", async () => {
    const alice = await connect("e2e-alice");
    const bob = await connect("e2e-bob");
    const aliceFrames = await alice.turn({ type: "user_message", content: { text: "Say hello to Alice." } });
    const bobFrames = await bob.turn({ type: "user_message", content: { text: "Say hello to Bob." } });

    expect(aliceFrames.every((frame) => frame.session_id === "e2e-alice")).toBe(true);
    expect(bobFrames.every((frame) => frame.session_id === "e2e-bob")).toBe(true);
    expect(bobFrames[0]!.seq).toBe(1);
    expect(alice.frames.some((frame) => frame.session_id !== "e2e-alice")).toBe(false);
    expect(bob.frames.length).toBe(bobFrames.length);
  });

  it("answers a malformed frame with an error frame and stays usable", async () => {
    const client = await connect("e2e-malformed");
    client.send("this is not json");
    const [notJson] = await client.waitFor((frame) => frame.type === "error");
    expect(notJson!.content).toMatchObject({ code: "INPUT_MALFORMED", retryable: false });

    const from = client.frames.length;
    client.send({ type: "user_message", content: { txt: "typo" } });
    const [wrongShape] = await client.waitFor((frame) => frame.type === "error", { from });
    expect(wrongShape!.content).toMatchObject({ code: "INPUT_MALFORMED" });

    const empty = await client.turn({ text: "   " });
    expect(empty.at(-1)!.content).toMatchObject({ code: "INPUT_EMPTY" });

    const frames = await client.turn({ text: "Hi!" });
    expect(frames.at(-1)!.type).toBe("agent_response_complete");
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("rejects an oversized frame with a clear error and keeps the connection", async () => {
    const client = await connect("e2e-oversized");
    const frames = await client.turn({ text: "x".repeat(4096) });
    expect(frames.at(-1)!.content).toMatchObject({ code: "INPUT_TOO_LARGE" });
    expect(frameOfType(frames.at(-1), "error").content.message).toContain("2048");
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes a connection whose frame exceeds the hard limit with 1009, and keeps serving others", async () => {
    const client = await connect("e2e-huge");
    const closed = new Promise<number>((resolve) => client.socket.once("close", (code) => resolve(code)));
    client.send({ text: "x".repeat(9 * 1024 * 1024) });
    expect(await closed).toBe(1009);
    const other = await connect("e2e-after-huge");
    const frames = await other.turn({ text: "" });
    expect(frames.at(-1)!.content).toMatchObject({ code: "INPUT_EMPTY" });
  });

  it("resumes a session from the last sequence number a client saw", async () => {
    const first = await connect("e2e-resume");
    const frames = await first.turn({ text: "Name a colour." });
    await first.close();
    const seen = frames[1]!.seq;
    const resumed = await connect("e2e-resume", `?last_seq=${seen}`);
    const replayed = await resumed.waitFor((frame) => frame.type === "agent_response_complete");
    expect(replayed.map((frame) => frame.seq)).toEqual(frames.slice(2).map((frame) => frame.seq));
  });

  it("cancels a running turn on request", async () => {
    const client = await connect("e2e-cancel");
    const from = client.frames.length;
    client.send({ text: "Write a long story about the sea, with many details." });
    await client.waitFor((frame) => frame.type === "agent_response_chunk", { from });
    client.send({ type: "cancel" });
    const frames = await client.waitFor((frame) => frame.type === "agent_response_complete" || frame.type === "error", {
      from,
    });
    expect(frames.at(-1)!.content).toMatchObject({ outcome: "aborted" });
  });

  it("exports the seed's Prometheus series", async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^agent_messages_total [1-9]\d*$/m);
    expect(text).toMatch(/^agent_response_time_seconds_bucket\{le="0.1",outcome="completed"\} \d+$/m);
    expect(text).toMatch(/^agent_errors_total\{error_type="INPUT_MALFORMED"\} 2$/m);
    expect(text).toMatch(/^agent_errors_total\{error_type="INPUT_TOO_LARGE"\} 1$/m);
    expect(text).toMatch(/^agent_active_sessions \d+$/m);
    expect(text).toMatch(/^agent_time_to_first_token_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^agent_tool_duration_seconds_count\{tool="calculator",outcome="ok"\} [1-9]\d*$/m);
    expect(text).toMatch(/^agent_tool_duration_seconds_bucket\{le="0.001",tool="calculator",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^agent_tokens_total\{direction="out",provider="local"\} [1-9]\d*$/m);
    expect(text).toContain("# TYPE agent_provider_errors_total counter");
    expect(text).toContain("# TYPE agent_provider_fallbacks_total counter");
  });
});
