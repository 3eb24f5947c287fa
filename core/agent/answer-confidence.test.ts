import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../contracts/errors.ts";
import { tool } from "../contracts/tool.ts";
import { collectEvents, eventsOfType } from "../testing/collect.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { ToolRegistry } from "../tools/registry.ts";
import { Agent } from "./agent.ts";

const finishOf = async (agent: Agent, text: string) =>
  eventsOfType(await collectEvents(agent.runTurn({ sessionId: `c-${text}`, text })), "turn-finish")[0]!;

describe("the answer's confidence", () => {
  it("is the model's confidence in the round that wrote the answer, not in its tool calls", async () => {
    const add = tool({
      name: "add",
      description: "Adds two numbers.",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => ({ sum: a + b }),
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "add", arguments: { a: 2, b: 2 } }], confidence: 0.99 },
      { text: "It is 4.", confidence: 0.61 },
    ]);
    const tools = new ToolRegistry().register({ name: "t", version: "1.0.0", tools: [add] });
    expect(await finishOf(new Agent({ model, tools }), "What is 2+2?")).toMatchObject({
      text: "It is 4.",
      confidence: 0.61,
    });
  });

  it("is absent when the model gives none, and when the answer is the agent's own words", async () => {
    expect(await finishOf(new Agent({ model: new ScriptedModel([{ text: "Hi." }]) }), "hello")).not.toHaveProperty(
      "confidence",
    );
    const offline = tool({
      name: "weather",
      description: "A forecast.",
      service: "Open-Meteo",
      inputSchema: z.object({ city: z.string() }),
      execute: () => {
        throw new ToolError("TOOL_UNAVAILABLE", "down");
      },
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "weather", arguments: { city: "Oslo" } }], confidence: 0.9 },
    ]);
    const tools = new ToolRegistry().register({ name: "t", version: "1.0.0", tools: [offline] });
    const finish = await finishOf(new Agent({ model, tools }), "Weather in Oslo?");
    expect(finish.text).toContain("Open-Meteo");
    expect(finish).not.toHaveProperty("confidence");
  });
});
