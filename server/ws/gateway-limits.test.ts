import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Agent, errorCodes, silentLogger, SyntheticModel } from "realtime-agent";
import { type AgentServer, createAgentServer } from "../app.ts";
import { InMemoryRateLimiter } from "./rate-limiter.ts";
import type { ServerFrameEnvelope } from "realtime-agent/client";
import { LocalSessionBus } from "./session-bus.ts";
import { SessionChannel } from "./session-channel.ts";

// Limits on a real server with real sockets; limits are counts and sizes, the waits are only for frames to arrive.
let server: AgentServer | undefined;

type Gateway = NonNullable<Parameters<typeof createAgentServer>[0]["gateway"]>;

async function start(gateway: Gateway, model = SyntheticModel.streaming({ tokens: 3 })): Promise<string> {
  server = createAgentServer({ agent: new Agent({ model }), logger: silentLogger, gateway });
  return `ws://127.0.0.1:${(await server.listen(0)).port}`;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Frame = { type: string; content: Record<string, unknown> };

function open(url: string, options: WebSocket.ClientOptions = {}) {
  return new Promise<{ socket: WebSocket; frames: Frame[]; closed: Promise<number> }>((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const frames: Frame[] = [];
    const closed = new Promise<number>((resolveClose) => socket.once("close", (code) => resolveClose(code)));
    socket.on("message", (data) => frames.push(JSON.parse(`${data}`)));
    socket.once("open", () => resolve({ socket, frames, closed }));
    socket.once("unexpected-response", (_request, response) => reject(new Error(`status ${response.statusCode}`)));
    socket.once("error", reject);
  });
}

const countOf = (frames: Frame[], type: string) => frames.filter((frame) => frame.type === type).length;

describe("WebSocket limits", () => {
  it("drops messages beyond the client's rate with RATE_LIMITED, and runs the rest", async () => {
    const base = await start({ messageRate: new InMemoryRateLimiter({ burst: 3, perSecond: 0.001 }) });
    const { socket, frames } = await open(`${base}/ws/rate`);
    for (let index = 0; index < 5; index++) socket.send(JSON.stringify({ text: `message ${index}` }));
    await expect.poll(() => countOf(frames, "agent_response_complete") + countOf(frames, "error")).toBe(5);
    expect(countOf(frames, "agent_response_complete")).toBe(3);
    const errors = frames.filter((frame) => frame.type === "error").map((frame) => frame.content);
    expect(errors).toEqual([
      expect.objectContaining({ code: "RATE_LIMITED", retryable: true }),
      expect.objectContaining({ code: "RATE_LIMITED", retryable: true }),
    ]);
    socket.close();
  });

  it("refuses connections beyond the per-client limit with RATE_LIMITED's status", async () => {
    const base = await start({ maxConnectionsPerClient: 2 });
    const first = await open(`${base}/ws/a`);
    const second = await open(`${base}/ws/b`);
    await expect(open(`${base}/ws/c`)).rejects.toThrow(`status ${errorCodes.RATE_LIMITED.httpStatus}`);
    first.socket.close();
    await first.closed;
    (await open(`${base}/ws/c`)).socket.close();
    second.socket.close();
  });

  it("refuses a new session beyond the cap with SERVER_BUSY, and still opens existing ones", async () => {
    const base = await start({ maxSessions: 2 });
    const held = [await open(`${base}/ws/one`), await open(`${base}/ws/two`)];
    await expect(open(`${base}/ws/three`)).rejects.toThrow(`status ${errorCodes.SERVER_BUSY.httpStatus}`);
    (await open(`${base}/ws/one`)).socket.close();
    for (const { socket } of held) socket.close();
  });

  it("closes a connection that answers no ping with CONNECTION_IDLE", async () => {
    const base = await start({ pingIntervalMs: 50 });
    const silent = await open(`${base}/ws/silent`, { autoPong: false });
    expect(await silent.closed).toBe(errorCodes.CONNECTION_IDLE.webSocketCloseCode);
  });

  it("cancels a turn nobody watches any more, after the grace period", async () => {
    const base = await start({ orphanTurnMs: 50 }, SyntheticModel.streaming({ tokens: 2_000, tokenIntervalMs: 5 }));
    const watcher = await open(`${base}/ws/orphan`);
    watcher.socket.send(JSON.stringify({ text: "a long answer" }));
    await expect.poll(() => countOf(watcher.frames, "agent_response_chunk")).toBeGreaterThan(0);
    watcher.socket.close();
    await watcher.closed;
    // Back well after the grace period (a reconnect within it would keep the turn running): the turn
    // ended, cancelled, long before its 2,000 chunks.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const back = await open(`${base}/ws/orphan?last_seq=0`);
    await expect.poll(() => countOf(back.frames, "agent_response_complete"), { timeout: 15_000 }).toBe(1);
    const complete = back.frames.find((frame) => frame.type === "agent_response_complete")!;
    expect(complete.content.outcome).toBe("aborted");
    expect(countOf(back.frames, "agent_response_chunk")).toBeLessThan(2_000);
    back.socket.close();
  });

  it("lets a running turn finish before closing on shutdown (drain)", async () => {
    const base = await start({}, SyntheticModel.streaming({ tokens: 20, tokenIntervalMs: 10 }));
    const client = await open(`${base}/ws/drain`);
    client.socket.send(JSON.stringify({ text: "finish me" }));
    await expect.poll(() => countOf(client.frames, "turn_start")).toBe(1);
    await server!.close(30_000);
    server = undefined;
    expect(await client.closed).toBe(errorCodes.SERVER_SHUTTING_DOWN.webSocketCloseCode);
    const complete = client.frames.find((frame) => frame.type === "agent_response_complete");
    expect(complete?.content).toMatchObject({ outcome: "completed" });
    expect(countOf(client.frames, "agent_response_chunk")).toBe(20);
  });
});

describe("resuming", () => {
  it("refuses a last_seq that is not a plain whole number", async () => {
    const base = await start({});
    for (const lastSeq of ["1e308", "0x10", "-1", "", "2.5"])
      await expect(open(`${base}/ws/r?last_seq=${lastSeq}`), lastSeq).rejects.toThrow(
        `status ${errorCodes.SESSION_INVALID.httpStatus}`,
      );
  });

  it("numbers the frames-missed notice before the replay, so that no replayed frame looks seen", async () => {
    const base = await start({ replayFrames: 3 }, SyntheticModel.streaming({ tokens: 10 }));
    const first = await open(`${base}/ws/gap`);
    first.socket.send(JSON.stringify({ text: "ten chunks" }));
    await expect.poll(() => countOf(first.frames, "agent_response_complete")).toBe(1);
    first.socket.close();
    const back = await open(`${base}/ws/gap?last_seq=1`);
    await expect.poll(() => back.frames.length).toBe(4);
    const seqs = back.frames.map((frame) => (frame as unknown as { seq: number }).seq);
    expect(back.frames[0]).toMatchObject({ type: "error", content: { code: "INPUT_MALFORMED" } });
    // The session has 12 frames (start, 10 chunks, complete); the last 3 are held: 10, 11, 12.
    expect(seqs).toEqual([9, 10, 11, 12]);
    back.socket.close();
  });
});

describe("a client that does not read", () => {
  it("is closed with CONNECTION_TOO_SLOW once its send buffer is over the limit, and gets no more frames", async () => {
    const bus = new LocalSessionBus({ frames: 512, bytes: 512 * 1024 });
    const channel = new SessionChannel("slow", "slow", bus, 1024);
    await channel.ready;
    const calls: string[] = [];
    const socket = {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      send: () => calls.push("send"),
      close: (code: number) => calls.push(`close ${code}`),
      terminate: () => calls.push("terminate"),
    };
    await channel.join(socket as unknown as WebSocket);
    const frame = (seq: number) => ({ seq, type: "error", content: {} }) as unknown as ServerFrameEnvelope;
    channel.publish(frame);
    socket.bufferedAmount = 4096;
    channel.publish(frame);
    expect(calls).toEqual(["send", `close ${errorCodes.CONNECTION_TOO_SLOW.webSocketCloseCode}`]);
    // What it missed is still held for its resume.
    const resumed = { ...socket, bufferedAmount: 0, send: (data: string) => calls.push(data) };
    await channel.join(resumed as unknown as WebSocket, 1);
    expect(calls.slice(2).map((data) => JSON.parse(data).seq)).toEqual([2]);
  });

  it("keeps frames for a resume within both the frame count and the byte budget", async () => {
    const bus = new LocalSessionBus({ frames: 100, bytes: 1_000 });
    const channel = new SessionChannel("replay", "replay", bus);
    await channel.ready;
    const frame = (seq: number) =>
      ({ seq, type: "agent_response_chunk", content: { text: "x".repeat(90) } }) as unknown as ServerFrameEnvelope;
    for (let index = 0; index < 50; index++) channel.publish(frame);
    const received: string[] = [];
    const gaps: number[] = [];
    const socket = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (data: string) => received.push(data) };
    await channel.join(socket as unknown as WebSocket, 0, (firstSent) => gaps.push(firstSent));
    expect(received.join("").length).toBeLessThanOrEqual(1_000);
    expect(received.length).toBeGreaterThan(5);
    expect(JSON.parse(received.at(-1)!).seq).toBe(50);
    expect(gaps).toEqual([JSON.parse(received[0]!).seq]);
    const late: string[] = [];
    const lateGaps: number[] = [];
    const lateSocket = { ...socket, send: (data: string) => late.push(data) };
    await channel.join(lateSocket as unknown as WebSocket, 49, (firstSent) => lateGaps.push(firstSent));
    expect(late).toEqual([received.at(-1)]);
    expect(lateGaps).toEqual([]);
  });

  it("sends new frames to a client resuming from a number the session never reached (the server restarted)", async () => {
    const channel = new SessionChannel("restarted", "restarted", new LocalSessionBus());
    await channel.ready;
    const frame = (seq: number) => ({ seq, type: "error", content: {} }) as unknown as ServerFrameEnvelope;
    channel.publish(frame);
    const received: string[] = [];
    const socket = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (data: string) => received.push(data) };
    await channel.join(socket as unknown as WebSocket, 500);
    channel.publish(frame);
    expect(received.map((data) => JSON.parse(data).seq)).toEqual([2]);
  });
});
