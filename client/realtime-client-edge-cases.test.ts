import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, type WebSocket } from "ws";
import { connect, type RealtimeClient } from "./realtime-client.ts";
import type { ServerFrame } from "./server-frames.ts";

// Cases the real server does not produce on demand, played by a hand-written rta.v1 server.

interface ScriptedServer {
  url: string;
  /** Each connection's URL, in order. */
  urls: string[];
  sockets: WebSocket[];
}

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A WebSocket server that answers every user message with the frames `answer` makes. */
async function scriptedServer(answer: (connection: number) => object[]): Promise<ScriptedServer> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => server.once("listening", resolve));
  const scripted: ScriptedServer = {
    url: `ws://127.0.0.1:${(server.address() as { port: number }).port}`,
    urls: [],
    sockets: [],
  };
  server.on("connection", (socket, request) => {
    const connection = scripted.urls.push(request.url ?? "") - 1;
    scripted.sockets.push(socket);
    socket.on("message", () => {
      for (const frame of answer(connection)) socket.send(JSON.stringify(frame));
    });
  });
  stops.push(() => new Promise((resolve) => server.close(resolve)));
  return scripted;
}

function frame(seq: number, type: string, content: object, turnId = "t1"): object {
  return {
    message_id: `m${seq}`,
    session_id: "s",
    seq,
    timestamp: "2026-11-27T00:00:00.000Z",
    type,
    content,
    context: { protocol: "rta.v1", turn_id: turnId },
  };
}

function turnFrames(firstSeq: number, turnId: string, text: string): object[] {
  return [
    frame(firstSeq, "turn_start", { turn_id: turnId }, turnId),
    frame(firstSeq + 1, "agent_response_chunk", { text, segment: 0 }, turnId),
    frame(
      firstSeq + 2,
      "agent_response_complete",
      {
        text,
        answer_segment: 0,
        outcome: "completed",
        tools_used: [],
        usage: { input_tokens: 1, output_tokens: 1 },
        provider: "p",
        model: "m",
        cost_usd: null,
        timings: { time_to_first_token_ms: 1, total_ms: 2, steps_ms: {} },
      },
      turnId,
    ),
  ];
}

async function framesOf(turn: AsyncIterable<ServerFrame>): Promise<ServerFrame[]> {
  const frames: ServerFrame[] = [];
  for await (const received of turn) frames.push(received);
  return frames;
}

async function connected(url: string): Promise<RealtimeClient> {
  const client = await connect(url, { sessionId: "s", resume: { initialDelayMs: 0 } });
  stops.push(() => client.close());
  return client;
}

describe("RealtimeClient against a hand-written server", () => {
  it("skips a frame of a type it does not know, and counts it as seen", async () => {
    const server = await scriptedServer(() => {
      const [start, chunk, complete] = turnFrames(1, "t1", "hi");
      return [start!, { ...chunk!, seq: 2, type: "agent_thinking" }, { ...chunk!, seq: 3 }, { ...complete!, seq: 4 }];
    });
    const client = await connected(server.url);
    const frames = await framesOf(client.send("hello"));
    expect(frames.map((received) => received.seq)).toEqual([1, 3, 4]);
    expect(client.lastSeq).toBe(4);
  });

  it("fails the turn in progress on a frame that breaks the protocol", async () => {
    const server = await scriptedServer(() => [turnFrames(1, "t1", "hi")[0]!, { ...frame(2, "tool_call", {}) }]);
    const invalid: string[] = [];
    const client = await connect(server.url, {
      sessionId: "s",
      onInvalidFrame: (error) => invalid.push(error.code),
    });
    stops.push(() => client.close());
    await expect(framesOf(client.send("hello"))).rejects.toMatchObject({ code: "FRAME_INVALID" });
    expect(invalid).toEqual(["FRAME_INVALID"]);
  });

  it("follows a session whose numbering started again after a reconnect (the server restarted)", async () => {
    const server = await scriptedServer((connection) => turnFrames(1, `t${connection}`, `answer ${connection}`));
    let reconnected!: () => void;
    const reopened = new Promise<void>((resolve) => {
      reconnected = resolve;
    });
    const client = await connect(server.url, {
      sessionId: "s",
      resume: { initialDelayMs: 0 },
      onStatus: (status) => {
        if (status === "open" && server.urls.length === 2) reconnected();
      },
    });
    stops.push(() => client.close());
    expect((await client.send("first").done).content).toMatchObject({ text: "answer 0" });
    server.sockets[0]!.terminate();
    await reopened;
    const second = await framesOf(client.send("second"));
    expect(server.urls).toEqual(["/ws/s", "/ws/s?last_seq=3"]);
    expect(second.map((received) => received.seq)).toEqual([1, 2, 3]);
    expect(second.at(-1)!.content).toMatchObject({ text: "answer 1" });
  });
});
