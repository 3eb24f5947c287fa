import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { z } from "zod";
import { Agent, errorCodes, silentLogger } from "realtime-agent";
import { ScriptedModel, tinyPng } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "../app.ts";
import { InMemoryRateLimiter } from "./rate-limiter.ts";

// A real HTTP server and real WebSocket clients; the close codes and statuses come from the error table.
let server: AgentServer | undefined;

async function start(model = new ScriptedModel([])): Promise<string> {
  server = createAgentServer({
    agent: new Agent({ model }),
    logger: silentLogger,
    gateway: { maxFrameBytes: 256, hardFrameLimitBytes: 1024 },
  });
  return `ws://127.0.0.1:${(await server.listen(0)).port}`;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

const errorFrameSchema = z.object({
  type: z.literal("error"),
  content: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }),
});

function closeCodeOf(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once("close", (code) => resolve(code)));
}

describe("WebSocketGateway messages sent again", () => {
  it("answers a message id once: the same message sent twice (a client unsure it arrived) starts one turn", async () => {
    // Two answers scripted: a third request would fail the turn with an error frame.
    const model = new ScriptedModel([{ text: "Hello there." }, { text: "Goodbye." }]);
    const socket = await open(`${await start(model)}/ws/twice`);
    const types: string[] = [];
    const ended = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const frame = JSON.parse(`${data}`) as { type: string; context: { reply_to?: string } };
        types.push(frame.type);
        // The end of m-2's turn ends the test: the messages before it have had their turns by then.
        const turnEnded = frame.type === "agent_response_complete" || frame.type === "error";
        if (turnEnded && frame.context.reply_to === "m-2") resolve();
      }),
    );
    const message = (id: string, text: string) =>
      JSON.stringify({ type: "user_message", message_id: id, content: { text } });
    socket.send(message("m-1", "hello"));
    socket.send(message("m-1", "hello"));
    socket.send(message("m-2", "bye"));
    await ended;
    expect(types.filter((type) => type === "turn_start")).toHaveLength(2);
    expect(types.filter((type) => type === "error")).toEqual([]);
    model.assertDone();
    socket.close();
  });
});

describe("WebSocketGateway: what a message asks of its turn", () => {
  it("runs reasoning chains when the message's context asks, and refuses a way of reasoning it does not know", async () => {
    const model = new ScriptedModel([
      { text: "Answer: 8" },
      { text: "Answer: 8" },
      { text: "Answer: 6" },
      { text: "Answer: 8" },
      { text: "8 euros." },
    ]);
    const socket = await open(`${await start(model)}/ws/chains`);
    const frames: { type: string; content: Record<string, unknown>; context: { reply_to?: string } }[] = [];
    const ended = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const frame = JSON.parse(`${data}`);
        frames.push(frame);
        if (frame.context.reply_to === "c-2" && frame.type === "agent_response_complete") resolve();
      }),
    );
    const send = (id: string, context: Record<string, unknown>) =>
      socket.send(JSON.stringify({ type: "user_message", message_id: id, content: { text: "Change?" }, context }));
    send("c-1", { reasoning: "deep" });
    send("c-2", { reasoning: "chains" });
    await ended;
    const refused = frames.find((frame) => frame.context.reply_to === "c-1")!;
    expect(refused).toMatchObject({ type: "error", content: { code: "INPUT_MALFORMED" } });
    const chains = frames.find((frame) => frame.type === "system_event" && frame.content.event === "reasoning_chains");
    expect(chains?.content.data).toMatchObject({
      majority: "8",
      chains: [{ kind: "analytical", answer: "8" }, {}, {}, {}],
    });
    expect(frames.at(-1)!.content.text).toBe("8 euros.");
    model.assertDone();
    socket.close();
  });
});

describe("WebSocketGateway: images with a message", () => {
  it("takes a message with images beyond the frame limit for text, and no text-only frame as large", async () => {
    const png = tinyPng;
    const model = new ScriptedModel([{ text: "A pixel." }], { vision: true });
    const socket = await open(`${await start(model)}/ws/images`);
    const frames: { type: string; content: Record<string, unknown>; context: { reply_to?: string } }[] = [];
    const ended = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        const frame = JSON.parse(`${data}`);
        frames.push(frame);
        if (frame.context.reply_to === "i-2" && frame.type === "agent_response_complete") resolve();
      }),
    );
    // Over the test server's 256-byte frame limit, both.
    socket.send(JSON.stringify({ type: "user_message", message_id: "i-1", content: { text: "x".repeat(300) } }));
    const image = { media_type: "image/png", data: png };
    const withImage = {
      type: "user_message",
      message_id: "i-2",
      content: { text: "What is it?", images: [image, image] },
    };
    expect(JSON.stringify(withImage).length).toBeGreaterThan(256);
    socket.send(JSON.stringify(withImage));
    await ended;
    expect(frames.find((frame) => frame.context.reply_to === "i-1")).toMatchObject({
      type: "error",
      content: { code: "INPUT_TOO_LARGE" },
    });
    expect(frames.at(-1)!.content.text).toBe("A pixel.");
    expect(model.requests[0]!.messages.at(-1)).toMatchObject({ images: [{ mediaType: "image/png", data: png }, {}] });
    socket.close();
  });
});

describe("WebSocketGateway messages refused at the rate limit", () => {
  it("answers a message sent again with its id after it was refused RATE_LIMITED", async () => {
    let now = 0;
    server = createAgentServer({
      agent: new Agent({ model: new ScriptedModel([{ text: "First." }, { text: "Second." }]) }),
      logger: silentLogger,
      gateway: { messageRate: new InMemoryRateLimiter({ burst: 1, perSecond: 1 }, () => now) },
    });
    const socket = await open(`ws://127.0.0.1:${(await server.listen(0)).port}/ws/limited`);
    const frames: { type: string; context: { reply_to?: string }; content: { code?: string } }[] = [];
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (done() ? resolve() : undefined);
        socket.on("message", (data) => {
          frames.push(JSON.parse(`${data}`));
          check();
        });
        check();
      });
    const message = (id: string, text: string) =>
      JSON.stringify({ type: "user_message", message_id: id, content: { text } });
    const ended = (id: string) => () =>
      frames.some(
        (frame) =>
          frame.context.reply_to === id && (frame.type === "agent_response_complete" || frame.type === "error"),
      );
    socket.send(message("m-1", "hello"));
    socket.send(message("m-2", "again"));
    await until(() => ended("m-1")() && ended("m-2")());
    expect(frames.find((frame) => frame.context.reply_to === "m-2")?.content.code).toBe("RATE_LIMITED");
    now += 5_000;
    const before = frames.length;
    socket.send(message("m-2", "again"));
    await until(() => frames.slice(before).some((frame) => frame.type === "agent_response_complete"));
    expect(frames.slice(before).map((frame) => [frame.type, frame.context.reply_to])[0]).toEqual(["turn_start", "m-2"]);
    socket.close();
  });
});

describe("WebSocketGateway statuses and close codes", () => {
  it("refuses a bad session id at the upgrade with the HTTP status of SESSION_INVALID", async () => {
    const base = await start();
    for (const path of ["/ws/has spaces", `/ws/${"x".repeat(200)}`, "/elsewhere"]) {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${base}${path}`);
        socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
        socket.once("open", () => reject(new Error(`${path} was accepted`)));
      });
      expect(status, path).toBe(errorCodes.SESSION_INVALID.httpStatus);
    }
  });

  it("closes a connection whose frame is over the hard limit with the close code of CONNECTION_FRAME_TOO_LARGE", async () => {
    const socket = await open(`${await start()}/ws/huge`);
    const closed = closeCodeOf(socket);
    socket.send(JSON.stringify({ text: "x".repeat(2048) }));
    expect(await closed).toBe(errorCodes.CONNECTION_FRAME_TOO_LARGE.webSocketCloseCode);
  });

  it("answers a frame over the soft limit with an INPUT_TOO_LARGE frame and keeps the connection", async () => {
    const socket = await open(`${await start()}/ws/large`);
    const frame = new Promise<string>((resolve) => socket.once("message", (data) => resolve(`${data}`)));
    socket.send(JSON.stringify({ text: "x".repeat(512) }));
    const { content } = errorFrameSchema.parse(JSON.parse(await frame));
    expect(content).toMatchObject({ code: "INPUT_TOO_LARGE", retryable: errorCodes.INPUT_TOO_LARGE.retryable });
    expect(errorCodes.INPUT_TOO_LARGE.webSocketCloseCode).toBeNull();
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it("closes open connections on shutdown with the close code of SERVER_SHUTTING_DOWN", async () => {
    const base = await start();
    const sockets = await Promise.all([open(`${base}/ws/one`), open(`${base}/ws/two`)]);
    const closed = Promise.all(sockets.map(closeCodeOf));
    await server!.close();
    server = undefined;
    expect(await closed).toEqual([
      errorCodes.SERVER_SHUTTING_DOWN.webSocketCloseCode,
      errorCodes.SERVER_SHUTTING_DOWN.webSocketCloseCode,
    ]);
  });
});
