import { describe, expect, it } from "vitest";
import type { ModelRequest, ModelStreamEvent } from "../contracts/model.ts";
import { ScriptedModel, ScriptedModelError } from "./scripted-model.ts";

const request = (text: string): ModelRequest => ({
  messages: [{ role: "user", content: text }],
  tools: [],
  toolChoice: "auto",
});

async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe("ScriptedModel", () => {
  it("steps through scripted responses and records every request", async () => {
    const model = new ScriptedModel([{ text: ["a", "b"] }, { toolCalls: [{ name: "t", arguments: { x: 1 } }] }]);
    const first = await drain(model.stream(request("one")));
    const second = await drain(model.stream(request("two")));
    expect(first.map((event) => event.type)).toEqual(["text-delta", "text-delta", "finish"]);
    expect(second[0]).toMatchObject({ type: "tool-call", name: "t", arguments: { x: 1 } });
    expect(second.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
    expect(model.requests.map((recorded) => recorded.messages[0]!.content)).toEqual(["one", "two"]);
    expect(() => model.assertDone()).not.toThrow();
  });

  it("fails on a request nobody scripted", async () => {
    const model = new ScriptedModel([]);
    await expect(drain(model.stream(request("surprise")))).rejects.toThrow(ScriptedModelError);
  });

  it("fails when scripted steps are never used", () => {
    const model = new ScriptedModel([{ text: "never asked" }]);
    expect(() => model.assertDone()).toThrow(/1 scripted step/);
  });

  it("throws the scripted error and honours delays and abort", async () => {
    const failing = new ScriptedModel([{ error: new Error("boom") }]);
    await expect(drain(failing.stream(request("x")))).rejects.toThrow("boom");

    const slow = new ScriptedModel([{ text: ["a", "b", "c"], delayMs: 1_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(drain(slow.stream({ ...request("x"), signal: controller.signal }))).rejects.toMatchObject({
      code: "TURN_ABORTED",
    });
  });
});
