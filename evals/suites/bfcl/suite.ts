import { z } from "zod";
import type { Tool } from "realtime-agent";
import { matchCalls } from "../../bfcl/ast-match.ts";
import { bfclCategories, loadBfclCategory, type BfclCase } from "../../bfcl/dataset.ts";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { EvalSuite, MetricDefinition } from "../../runner/types.ts";

/** A BFCL function as a tool: the model sees the dataset's schema exactly as given; it is never run. */
function datasetTool(fn: BfclCase["functions"][number]): Tool {
  return {
    name: fn.name,
    description: fn.description || fn.name,
    inputSchema: z.record(z.string(), z.unknown()),
    inputJsonSchema: fn.parameters,
    execute: () => {
      throw new Error("BFCL functions are not executed; only the calls are scored.");
    },
  };
}

const perCategory: MetricDefinition[] = bfclCategories.map((category) => ({
  name: `accuracy.${category}`,
  description: `BFCL ${category}: share of cases whose calls pass the AST match.`,
  higherIsBetter: true,
  unit: "ratio",
  of: (result) => (result.category === category ? (result.scores.ast?.score ?? 0) : undefined),
}));

export const bfclSuite: EvalSuite<BfclCase> = {
  name: "bfcl",
  description:
    "Berkeley Function Calling Leaderboard v4 (simple, multiple, parallel, parallel_multiple, irrelevance), AST match.",
  needsCustomTools: true,
  defaultToolRouting: "off",
  async loadCases(context) {
    const categories = await Promise.all(
      bfclCategories.map((category) => loadBfclCategory(context.datasetsDirectory, category, context.limit)),
    );
    return categories.flat();
  },
  async runCase(testCase, context) {
    const text = testCase.messages
      .filter((message) => message.role === "user")
      .map((message) => message.content)
      .join("\n");
    const system = testCase.messages.find((message) => message.role === "system")?.content;
    const observation = await context.driver.runTurn({
      sessionId: `bfcl-${testCase.id}-r${context.repeat}`,
      text,
      tools: testCase.functions.map(datasetTool),
      planOnly: true,
      maxOutputTokens: 16,
      ...(system ? { systemPrompt: system } : {}),
    });
    return {
      id: testCase.id,
      category: testCase.category,
      input: text,
      output: observation.toolCalls.length ? JSON.stringify(observation.toolCalls) : observation.text,
      expected: testCase.groundTruth.length ? JSON.stringify(testCase.groundTruth) : "(no call)",
      scores: { ast: matchCalls(observation.toolCalls, testCase.groundTruth, testCase.functions) },
      tags: {},
      values: {},
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "accuracy",
      description: "Share of all cases that pass the AST match.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.scores.ast?.score ?? 0,
      byCategory: true,
    },
    ...perCategory,
  ],
};
