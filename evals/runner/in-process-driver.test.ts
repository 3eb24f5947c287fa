import { describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, ToolRegistry } from "realtime-agent";
import { ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver, outcomeFieldsOf } from "./in-process-driver.ts";

const echo = tool({
  name: "echo",
  description: "Echoes a value.",
  inputSchema: z.object({ value: z.string() }),
  execute: ({ value }) => value,
});

describe("InProcessDriver", () => {
  it("runs each case's tools, prompt, output limit and planOnly through the turn, on the one agent", async () => {
    let ran = false;
    const caseTool = tool({
      name: "get_weather",
      description: "Weather for a city.",
      inputSchema: z.object({ city: z.string() }),
      execute: () => {
        ran = true;
      },
    });
    const model = new ScriptedModel([
      {
        toolCalls: [{ name: "get_weather", arguments: { city: "Oslo" } }],
        usage: { inputTokens: 10, outputTokens: 4 },
        expect: (request) => {
          expect(request.tools.map((definition) => definition.name)).toEqual(["get_weather"]);
          // The case's own prompt, with the agent's sentence on the user's language.
          expect(request.messages[0]).toEqual({ role: "system", content: "Call functions. Always answer in English." });
          expect(request.maxOutputTokens).toBe(16);
        },
      },
      {
        text: "Plain answer.",
        expect: (request) => {
          expect(request.tools.map((definition) => definition.name)).toEqual(["echo"]);
          expect(request.messages[0]!.content).not.toBe("Call functions.");
          expect(request.maxOutputTokens).toBeUndefined();
        },
      },
    ]);
    const tools = new ToolRegistry().register({ name: "agent-tools", version: "1.0.0", tools: [echo] });
    const driver = new InProcessDriver({ model, tools });
    try {
      const planned = await driver.runTurn({
        sessionId: "case-1",
        text: "Weather in Oslo?",
        tools: [caseTool],
        systemPrompt: "Call functions.",
        maxOutputTokens: 16,
        planOnly: true,
      });
      expect(planned.toolCalls).toEqual([{ name: "get_weather", arguments: { city: "Oslo" } }]);
      expect(planned.toolResults).toEqual([]);
      expect(ran).toBe(false);
      expect(outcomeFieldsOf(planned)).toMatchObject({
        usage: { input_tokens: 10, output_tokens: 4 },
        tool_calls: [{ name: "get_weather" }],
        time_to_first_token_ms: null,
      });

      const answered = await driver.runTurn({ sessionId: "case-2", text: "Say something." });
      expect(answered.text).toBe("Plain answer.");
      expect(answered.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
      model.assertDone();
    } finally {
      await driver.close();
    }
  });
});
