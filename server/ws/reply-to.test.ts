import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { Agent, silentLogger } from "realtime-agent";
import { echoModel } from "realtime-agent/testing";
import { connect } from "realtime-agent/client";
import { type AgentServer, createAgentServer } from "../app.ts";

let server: AgentServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(): Promise<string> {
  server = createAgentServer({ agent: new Agent({ model: echoModel({ delayMs: 20 }) }), logger: silentLogger });
  return `ws://127.0.0.1:${(await server.listen(0)).port}`;
}

describe("frames say which message they answer", () => {
  it("carries each message's message_id as reply_to on every frame of its turn", async () => {
    const base = await start();
    const socket = new WebSocket(`${base}/ws/shared`);
    const frames: Array<{ type: string; context: { turn_id?: string; reply_to?: string } }> = [];
    socket.on("message", (data) => frames.push(JSON.parse(`${data}`)));
    await new Promise((resolve) => socket.once("open", resolve));
    for (const id of ["m-1", "m-2"])
      socket.send(JSON.stringify({ type: "user_message", content: { text: id }, message_id: id }));
    await expect.poll(() => frames.filter((frame) => frame.type === "agent_response_complete").length).toBe(2);
    const byTurn = new Map<string, Set<string | undefined>>();
    for (const frame of frames) {
      const turn = frame.context.turn_id!;
      byTurn.set(turn, (byTurn.get(turn) ?? new Set()).add(frame.context.reply_to));
    }
    expect([...byTurn.values()].map((replies) => [...replies])).toEqual([["m-1"], ["m-2"]]);
    socket.close();
  });

  it("lets two typed clients of one session each get the answer to their own message", async () => {
    const base = await start();
    const [ana, ben] = await Promise.all([
      connect(base, { sessionId: "together", resume: false }),
      connect(base, { sessionId: "together", resume: false }),
    ]);
    const [fromAna, fromBen] = await Promise.all([ana.send("apples").done, ben.send("bananas").done]);
    expect(fromAna.content).toMatchObject({ text: "you said: apples" });
    expect(fromBen.content).toMatchObject({ text: "you said: bananas" });
    await Promise.all([ana.close(), ben.close()]);
  });
});
