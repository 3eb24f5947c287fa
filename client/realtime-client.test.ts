import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  Agent,
  UserInputError,
  SyntheticModel,
  silentLogger,
  type ModelProvider,
  type ModelRequest,
  type ModelStreamEvent,
} from "realtime-agent";
import { createAgentServer, type AgentServer } from "../server/app.ts";
import { TcpProxy } from "realtime-agent/testing";
import { RealtimeClientError } from "./client-error.ts";
import { connect, sessionUrl, type RealtimeClient } from "./realtime-client.ts";
import type { ServerFrame, WebSocketConstructor } from "./index.ts";
import type { Turn } from "./turn.ts";

// The client against the real server (HTTP + WebSocket gateway) in-process, with models that need no weights.

/** Streams `chunks`, but waits after the first `pauseAfter` of them until `release()` (or an abort). */
class GatedModel implements ModelProvider {
  readonly id = "gated";
  readonly capabilities = { toolCalling: false, vision: false, contextTokens: 8_000 };
  readonly requests: ModelRequest[] = [];
  readonly #chunks: string[];
  readonly #pauseAfter: number;
  #release!: () => void;
  readonly #gate = new Promise<void>((resolve) => {
    this.#release = resolve;
  });

  constructor(chunks: string[], pauseAfter: number) {
    this.#chunks = chunks;
    this.#pauseAfter = pauseAfter;
  }

  release(): void {
    this.#release();
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    this.requests.push(request);
    for (const [index, text] of this.#chunks.entries()) {
      if (index === this.#pauseAfter) await this.#waitForGate(request.signal);
      yield { type: "text-delta", text };
    }
    yield {
      type: "finish",
      reason: "stop",
      usage: { inputTokens: 1, outputTokens: this.#chunks.length },
      model: "gated",
    };
  }

  #waitForGate(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new UserInputError("TURN_ABORTED", "Aborted."));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      void this.#gate.then(resolve);
    });
  }
}

/** Answers "echo: <message>", in two chunks. */
const echoModel = () =>
  new SyntheticModel({
    respond: (request) => ({
      text: ["echo: ", String(request.messages.at(-1)?.content)],
      usage: { inputTokens: 1, outputTokens: 2 },
    }),
  });

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startServer(model: ModelProvider, maxFrameBytes = 64 * 1024): Promise<{ url: string }> {
  const server: AgentServer = createAgentServer({
    agent: new Agent({ model, logger: silentLogger }),
    logger: silentLogger,
    gateway: { maxFrameBytes },
  });
  const address = await server.listen(0);
  stops.push(() => server.close());
  return { url: `ws://127.0.0.1:${address.port}` };
}

async function connected(...parameters: Parameters<typeof connect>): Promise<RealtimeClient> {
  const client = await connect(...parameters);
  stops.push(() => client.close());
  return client;
}

async function framesOf(turn: Turn): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  for await (const frame of turn) frames.push(frame);
  return frames;
}

/** Reads the turn until `count` chunks have arrived. */
async function untilChunks(turn: Turn, count: number): Promise<void> {
  let chunks = 0;
  for await (const frame of turn) if (frame.type === "agent_response_chunk" && ++chunks === count) return;
  throw new Error(`The turn ended after ${chunks} chunks.`);
}

function textOf(frames: ServerFrame[]): string {
  return frames.map((frame) => (frame.type === "agent_response_chunk" ? frame.content.text : "")).join("");
}

function expectConsecutive(frames: ServerFrame[]): void {
  const first = frames[0]!.seq;
  expect(frames.map((frame) => frame.seq)).toEqual(frames.map((_, index) => first + index));
}

describe("RealtimeClient", () => {
  it("streams a turn's typed frames, from turn_start to agent_response_complete", async () => {
    const server = await startServer(echoModel());
    const client = await connected(server.url, { sessionId: "stream" });
    const turn = client.send("hello");
    const frames = await framesOf(turn);

    expect(frames.map((frame) => frame.type)).toEqual([
      "turn_start",
      "agent_response_chunk",
      "agent_response_chunk",
      "agent_response_complete",
    ]);
    expectConsecutive(frames);
    expect(turn.turnId).toBeDefined();
    expect(frames.every((frame) => frame.context.turn_id === turn.turnId)).toBe(true);
    const done = await turn.done;
    expect(done).toBe(frames.at(-1));
    if (done.type !== "agent_response_complete") throw new Error(`ended with ${done.type}`);
    expect(done.content.text).toBe("echo: hello");
    expect(textOf(frames)).toBe("echo: hello");
    // A turn can be read again from its first frame.
    expect(await framesOf(turn)).toEqual(frames);
  });

  it("sends messages one at a time and gives each turn only its own frames", async () => {
    const server = await startServer(echoModel());
    const client = await connected(server.url, { sessionId: "queue" });
    const turns = ["one", "two", "three"].map((text) => client.send(text));
    const results = await Promise.all(turns.map(framesOf));

    expect(results.map(textOf)).toEqual(["echo: one", "echo: two", "echo: three"]);
    expect(new Set(turns.map((turn) => turn.turnId)).size).toBe(3);
    for (const [index, frames] of results.entries())
      expect(frames.every((frame) => frame.context.turn_id === turns[index]!.turnId)).toBe(true);
    expectConsecutive(results.flat());
  });

  it("ends a turn with the server's error frame", async () => {
    const server = await startServer(echoModel());
    const client = await connected(server.url, { sessionId: "empty" });
    const done = await client.send("   ").done;
    expect(done.type).toBe("error");
    expect(done.content).toMatchObject({ code: "INPUT_EMPTY" });
  });

  it("ends a message's turn with the error about the message itself, which has no turn id", async () => {
    const server = await startServer(echoModel(), 256);
    const client = await connected(server.url, { sessionId: "too-large" });
    const tooLarge = client.send("x".repeat(1_000));
    const next = client.send("small");
    const frames = await framesOf(tooLarge);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ type: "error", content: { code: "INPUT_TOO_LARGE" } });
    expect(frames[0]!.context.turn_id).toBeUndefined();
    expect(textOf(await framesOf(next))).toBe("echo: small");
  });

  it("cancels the running turn: it ends as aborted", async () => {
    const model = new GatedModel(["a ", "b ", "c "], 1);
    const server = await startServer(model);
    const client = await connected(server.url, { sessionId: "cancel" });
    const turn = client.send("go");
    await untilChunks(turn, 1);
    turn.cancel();
    const done = await turn.done;
    expect(done).toMatchObject({ type: "agent_response_complete", content: { outcome: "aborted" } });
  });

  it("never sends a message cancelled while it waits its turn", async () => {
    const model = new GatedModel(["a ", "b "], 1);
    const server = await startServer(model);
    const client = await connected(server.url, { sessionId: "cancel-queued" });
    const running = client.send("first");
    const waiting = client.send("second");
    await untilChunks(running, 1);
    waiting.cancel();
    await expect(waiting.done).rejects.toMatchObject({ code: "TURN_NOT_SENT" });
    expect(await framesOf(waiting)).toEqual([]);
    model.release();
    expect((await running.done).type).toBe("agent_response_complete");
    expect(model.requests).toHaveLength(1);
  });

  it("reconnects after the connection drops mid-answer and resumes with no frame lost or repeated", async () => {
    const model = new GatedModel(["one ", "two ", "three ", "four ", "five "], 2);
    const server = await startServer(model);
    const proxy = await TcpProxy.start(Number(new URL(server.url).port));
    stops.push(() => proxy.close());
    const urls: string[] = [];
    const RecordingWebSocket = class extends WebSocket {
      constructor(url: string) {
        super(url);
        urls.push(url);
      }
    } as unknown as WebSocketConstructor;
    const statuses: string[] = [];
    const client = await connected(`ws://127.0.0.1:${proxy.port}`, {
      sessionId: "resume",
      WebSocket: RecordingWebSocket,
      resume: { initialDelayMs: 0 },
      onStatus: (status) => statuses.push(status),
    });
    // A second socket on the session, straight to the server, sees every frame as it is published.
    const published: ServerFrame[] = [];
    let serverFinished!: () => void;
    const finishedOnServer = new Promise<void>((resolve) => {
      serverFinished = resolve;
    });
    await connected(server.url, {
      sessionId: "resume",
      onFrame: (frame) => {
        published.push(frame);
        if (frame.type === "agent_response_complete") serverFinished();
      },
    });

    const turn = client.send("count to five");
    await untilChunks(turn, 2);
    const seenBeforeDrop = client.lastSeq;
    // Cut the connection, let the turn finish on the server while the client cannot reconnect, then let it.
    const allowReconnection = proxy.holdNewConnections();
    proxy.dropConnections();
    model.release();
    await finishedOnServer;
    allowReconnection();
    const frames = await framesOf(turn);

    expect(statuses).toEqual(["open", "reconnecting", "open"]);
    expect(urls).toHaveLength(2);
    expect(urls[1]).toBe(`ws://127.0.0.1:${proxy.port}/ws/resume?last_seq=${seenBeforeDrop}`);
    expect(frames.map((frame) => frame.message_id)).toEqual(published.map((frame) => frame.message_id));
    expect(frames.map((frame) => frame.type)).toEqual([
      "turn_start",
      ...Array(5).fill("agent_response_chunk"),
      "agent_response_complete",
    ]);
    expectConsecutive(frames);
    expect(textOf(frames)).toBe("one two three four five ");
    expect((await turn.done).content).toMatchObject({ text: "one two three four five ", outcome: "completed" });
  });

  it("sends a message again after a reconnection when it was lost with the connection, and it is answered once", async () => {
    const asked: string[] = [];
    const model = new SyntheticModel({
      respond: (request) => {
        asked.push(String(request.messages.at(-1)?.content));
        return { text: ["echo: ", asked.at(-1)!], usage: { inputTokens: 1, outputTokens: 2 } };
      },
    });
    const server = await startServer(model);
    const proxy = await TcpProxy.start(Number(new URL(server.url).port));
    stops.push(() => proxy.close());
    const client = await connected(`ws://127.0.0.1:${proxy.port}`, {
      sessionId: "lost-message",
      resume: { initialDelayMs: 0 },
    });
    // The message is written to a connection whose link is already gone: the server never reads it.
    proxy.discardClientBytes();
    const turn = client.send("are you there?");
    while (proxy.discardedBytes === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    proxy.dropConnections();

    const frames = await framesOf(turn);
    expect(frames.map((frame) => frame.type)).toEqual([
      "turn_start",
      "agent_response_chunk",
      "agent_response_chunk",
      "agent_response_complete",
    ]);
    expect(textOf(frames)).toBe("echo: are you there?");
    expect(asked).toEqual(["are you there?"]);
  });

  it("fails the turn with CONNECTION_CLOSED when reconnecting keeps failing", async () => {
    const model = new GatedModel(["a ", "b "], 1);
    const server = await startServer(model);
    const proxy = await TcpProxy.start(Number(new URL(server.url).port));
    const client = await connected(`ws://127.0.0.1:${proxy.port}`, {
      sessionId: "give-up",
      resume: { initialDelayMs: 0, maxAttempts: 2 },
    });
    const turn = client.send("go");
    await untilChunks(turn, 1);
    await proxy.close();
    model.release();
    await expect(framesOf(turn)).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    await expect(turn.done).rejects.toBeInstanceOf(RealtimeClientError);
    expect(client.status).toBe("closed");
  });

  it("fails unfinished turns with CONNECTION_CLOSED when closed", async () => {
    const model = new GatedModel(["a ", "b "], 1);
    const server = await startServer(model);
    const client = await connect(server.url, { sessionId: "close" });
    const turn = client.send("go");
    await untilChunks(turn, 1);
    await client.close();
    await expect(turn.done).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    await expect(client.send("more").done).rejects.toMatchObject({ code: "CONNECTION_CLOSED" });
    model.release();
  });

  it("rejects with CONNECTION_FAILED when the server refuses the session", async () => {
    const server = await startServer(echoModel());
    await expect(connect(server.url, { sessionId: "x".repeat(200) })).rejects.toMatchObject({
      code: "CONNECTION_FAILED",
    });
  });
});

describe("sessionUrl", () => {
  it("accepts the server's address or its WebSocket endpoint", () => {
    expect(sessionUrl("ws://127.0.0.1:3000", "a b")).toBe("ws://127.0.0.1:3000/ws/a%20b");
    expect(sessionUrl("ws://127.0.0.1:3000/ws/", "s")).toBe("ws://127.0.0.1:3000/ws/s");
    expect(sessionUrl("http://host:3000", "s", 12)).toBe("ws://host:3000/ws/s?last_seq=12");
    expect(sessionUrl("ws://host:3000", "s", 0)).toBe("ws://host:3000/ws/s?last_seq=0");
    expect(sessionUrl("https://host", "s")).toBe("wss://host/ws/s");
  });
});
