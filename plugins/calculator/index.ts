import { z } from "zod";
import { plugin, tool } from "realtime-agent";
import { calculate } from "./evaluate-expression.ts";

export const calculatorTool = tool({
  name: "calculator",
  description:
    "Calculate the result of an arithmetic expression. Use it for any arithmetic, percentages and unit conversions.",
  inputSchema: z.object({
    expression: z.string().min(1).max(500).describe("The arithmetic expression to evaluate"),
  }),
  outputSchema: z.object({ expression: z.string(), result: z.union([z.number(), z.string()]) }),
  timeoutMs: 1_000,
  cacheTtlMs: 24 * 60 * 60 * 1000,
  networkHosts: [],
  examples: [
    { request: "What is 3% of 1,200?", arguments: { expression: "3% * 1200" } },
    { request: "How much is (45 + 15) / 4?", arguments: { expression: "(45 + 15) / 4" } },
  ],
  execute: ({ expression }) => calculate(expression),
});

export const calculatorPlugin = plugin({
  name: "calculator",
  version: "1.0.0",
  tools: [calculatorTool],
});

export default calculatorPlugin;
