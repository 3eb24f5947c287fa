import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../../server/server-process.ts";
import { outcomeFieldsOf } from "./in-process-driver.ts";
import { runSuite } from "./run-suite.ts";
import type { EvalSuite } from "./types.ts";
import { WebSocketDriver } from "./websocket-driver.ts";

// The runner driving a real server process (local model) over the WebSocket protocol.
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  await server?.stop();
});

const calculatorSuite: EvalSuite<{ id: string; category: string }> = {
  name: "ws-calculator",
  description: "one question over WebSocket",
  loadCases: async () => [{ id: "percent", category: "arithmetic" }],
  async runCase(testCase, context) {
    const observation = await context.driver.runTurn({ sessionId: "ws-eval-percent", text: "What is 12.5% of 3,480?" });
    const used = observation.toolCalls.some((call) => call.name === "calculator");
    return {
      id: testCase.id,
      category: testCase.category,
      input: "What is 12.5% of 3,480?",
      output: observation.text,
      expected: "435",
      scores: { tool: { score: used ? 1 : 0, pass: used, reason: used ? "calculator used" : "no calculator" } },
      tags: {},
      values: { result: Number((observation.toolResults[0]?.result as { result?: number } | undefined)?.result) },
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "tool_used",
      description: "",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.scores.tool?.score,
    },
  ],
};

describe("WebSocketDriver", () => {
  it("runs a suite against a running server and reads tool calls, results, text and usage from the frames", async () => {
    const driver = new WebSocketDriver(`${server.wsUrl}/ws`);
    try {
      const report = await runSuite(calculatorSuite, {
        driver,
        datasetsDirectory: undefined,
        progress: false,
        target: `${server.wsUrl}/ws`,
      });
      const [result] = report.cases;
      expect(result!.error).toBeUndefined();
      expect(report.metrics.tool_used!.value).toBe(1);
      expect(result!.values.result).toBe(435);
      expect(result!.output.length).toBeGreaterThan(0);
      expect(result!.usage.output_tokens).toBeGreaterThan(0);
      expect(report.config).toMatchObject({
        provider: "local",
        model: "SmolLM2-135M-Instruct.Q4_1",
        target: `${server.wsUrl}/ws`,
      });
    } finally {
      await driver.close();
    }
  });

  it("refuses suites that need their own tools", async () => {
    const driver = new WebSocketDriver(`${server.wsUrl}/ws`);
    await expect(driver.runTurn({ sessionId: "x", text: "hi", tools: [] })).rejects.toThrow(/in-process/);
    await driver.close();
  });
});
