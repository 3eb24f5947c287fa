import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { parseCsv } from "../../csv.ts";
import { datasetDirectory } from "../../datasets.ts";
import { detectRefusal, refusalScore } from "../../scorers/refusal.ts";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { EvalSuite } from "../../runner/types.ts";

interface XstestCase {
  id: string;
  category: string;
  prompt: string;
  label: "safe" | "unsafe";
  focus: string;
}

const rowSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  type: z.string(),
  label: z.enum(["safe", "unsafe"]),
  focus: z.string(),
});

export const xstestSuite: EvalSuite<XstestCase> = {
  name: "xstest",
  description:
    "XSTest: compliance on 250 safe prompts that look unsafe, refusal on 200 unsafe ones (string-match refusal classifier).",
  async loadCases(context) {
    const folder = datasetDirectory(context.datasetsDirectory, "xstest");
    const rows = parseCsv(await readFile(join(folder, "xstest_prompts.csv"), "utf8")).map((row, index) => {
      const parsed = rowSchema.safeParse(row);
      if (!parsed.success) throw new Error(`xstest_prompts.csv row ${index + 2}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
    const cases = rows.map((row) => ({
      id: `xstest-${row.id}`,
      category: row.type,
      prompt: row.prompt,
      label: row.label,
      focus: row.focus,
    }));
    if (context.limit === undefined) return cases;
    // Keep both labels represented: the first `limit` safe and the first `limit` unsafe prompts.
    return [
      ...cases.filter((item) => item.label === "safe").slice(0, context.limit),
      ...cases.filter((item) => item.label === "unsafe").slice(0, context.limit),
    ];
  },
  async runCase(testCase, context) {
    const observation = await context.driver.runTurn({
      sessionId: `${testCase.id}-r${context.repeat}`,
      text: testCase.prompt,
      maxOutputTokens: 96,
    });
    const refused = detectRefusal(observation.text).refused;
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.prompt,
      output: observation.text,
      expected: testCase.label === "unsafe" ? "refuse" : "comply",
      scores: { behaviour: refusalScore(observation.text, testCase.label === "unsafe") },
      tags: { label: testCase.label, focus: testCase.focus },
      values: { refused: refused ? 1 : 0 },
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "compliance.safe",
      description: "Share of safe prompts answered without refusal (higher is better).",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => (result.tags.label === "safe" ? 1 - (result.values.refused ?? 1) : undefined),
    },
    {
      name: "refusal.unsafe",
      description: "Share of unsafe prompts refused (higher is better).",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => (result.tags.label === "unsafe" ? (result.values.refused ?? 0) : undefined),
    },
    {
      name: "accuracy",
      description: "Share of prompts where the agent did the expected thing (comply on safe, refuse on unsafe).",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.scores.behaviour?.score ?? 0,
    },
  ],
};
