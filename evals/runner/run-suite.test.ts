import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProviderError } from "realtime-agent";
import { ScriptedModel, type ScriptedStep } from "realtime-agent/testing";
import { resolveDatasetsDirectory } from "../datasets.ts";
import { numericMatch } from "../scorers/text.ts";
import { bfclSuite } from "../suites/bfcl/suite.ts";
import { writeReportFiles } from "./file-store.ts";
import { InProcessDriver, outcomeFieldsOf } from "./in-process-driver.ts";
import { runSuite } from "./run-suite.ts";
import type { EvalSuite } from "./types.ts";

const arithmetic: EvalSuite<{ id: string; category: string; question: string; answer: number }> = {
  name: "arithmetic",
  description: "test suite",
  async loadCases(context) {
    const cases = [
      { id: "a", category: "add", question: "2+2?", answer: 4 },
      { id: "b", category: "add", question: "3+3?", answer: 6 },
      { id: "c", category: "multiply", question: "3*3?", answer: 9 },
    ];
    return context.limit ? cases.slice(0, context.limit) : cases;
  },
  async runCase(testCase, context) {
    const observation = await context.driver.runTurn({
      sessionId: `${testCase.id}-${context.repeat}`,
      text: testCase.question,
    });
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.question,
      output: observation.text,
      expected: String(testCase.answer),
      scores: { numeric: numericMatch(observation.text, testCase.answer) },
      tags: {},
      values: {},
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "accuracy",
      description: "right answers",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => result.scores.numeric?.score ?? 0,
    },
  ],
};

describe("runSuite with the scripted model", () => {
  it("runs every case × repeat, scores it, and reports each metric with value, CI and n", async () => {
    const steps: ScriptedStep[] = [
      { text: "It is 4." },
      { text: "It is 4." },
      { text: "It is 6." },
      { text: "It is 7." },
      { text: "It is 9." },
      { text: "It is 9." },
    ];
    const model = new ScriptedModel(steps);
    const report = await runSuite(arithmetic, {
      driver: new InProcessDriver({ model }),
      datasetsDirectory: undefined,
      repeat: 2,
      concurrency: 1,
      progress: false,
    });
    model.assertDone();

    expect(report.cases).toHaveLength(6);
    expect(report.metrics.accuracy).toMatchObject({ value: 5 / 6, n: 3, unit: "ratio", gate: true });
    expect(report.metrics.accuracy!.ci_low).toBeLessThanOrEqual(5 / 6);
    expect(report.metrics.accuracy!.ci_high).toBeLessThanOrEqual(1);
    expect(report.breakdown.add!.accuracy).toMatchObject({ value: 0.75, n: 2 });
    expect(report.breakdown.multiply!.accuracy).toMatchObject({ value: 1, n: 1 });
    expect(report.metrics["tokens.output"]!.value).toBeGreaterThan(0);
    expect(report.config).toMatchObject({ provider: "scripted", model: "scripted", repeat: 2, concurrency: 1 });
    expect(report.cases.find((result) => result.id === "b" && result.repeat === 1)?.scores.numeric?.reason).toMatch(
      /closest number 7/,
    );
  });

  it("counts a provider failure as a failed case with its error, and keeps going", async () => {
    const model = new ScriptedModel([
      { text: "4" },
      { error: new ProviderError("PROVIDER_FAILED", "upstream down") },
      { text: "9" },
    ]);
    const report = await runSuite(arithmetic, {
      driver: new InProcessDriver({ model }),
      datasetsDirectory: undefined,
      concurrency: 1,
      progress: false,
    });
    expect(report.cases[1]!.error).toEqual({ code: "PROVIDER_FAILED", message: "upstream down" });
    expect(report.metrics.accuracy!.value).toBeCloseTo(2 / 3);
  });

  it("writes report.json, a self-contained report.html with charts, and summary.md", async () => {
    const model = new ScriptedModel([{ text: "4" }, { text: "5" }, { text: "9" }]);
    const report = await runSuite(arithmetic, {
      driver: new InProcessDriver({ model }),
      datasetsDirectory: undefined,
      concurrency: 1,
      progress: false,
    });
    const directory = mkdtempSync(join(tmpdir(), "rta-report-"));
    const paths = writeReportFiles(report, directory);
    const json = JSON.parse(readFileSync(paths.json, "utf8"));
    expect(json.schema_version).toBe(2);
    expect(Object.keys(json.cases[0]).sort()).toEqual([
      "category",
      "cost_usd",
      "expected",
      "id",
      "input",
      "output",
      "protocol_leaks",
      "repeat",
      "scores",
      "tags",
      "time_to_first_token_ms",
      "tool_calls",
      "total_ms",
      "usage",
      "values",
    ]);
    expect(Object.keys(json.cases[0].usage)).toEqual(["input_tokens", "output_tokens"]);
    expect(Object.keys(json.latency)).toEqual(["time_to_first_token_ms", "total_ms"]);
    expect(Object.keys(json.metrics.accuracy).sort()).toEqual([
      "ci_high",
      "ci_low",
      "description",
      "gate",
      "higher_is_better",
      "n",
      "unit",
      "value",
    ]);
    const html = readFileSync(paths.html, "utf8");
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script|src="http/);
    expect(html).toContain("closest number 5");
    expect(readFileSync(paths.markdown, "utf8")).toMatch(/\| accuracy \| 0\.667 \[/);
  });
});

describe.skipIf(!resolveDatasetsDirectory())("bfcl suite with the scripted model (needs ../shared/datasets)", () => {
  it("gives the model each case's functions exactly as the dataset defines them and scores the calls", async () => {
    const model = new ScriptedModel([
      {
        toolCalls: [{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }],
        expect: (request) => {
          expect(request.tools).toEqual([
            expect.objectContaining({
              name: "calculate_triangle_area",
              inputSchema: expect.objectContaining({ type: "dict", required: ["base", "height"] }),
            }),
          ]);
        },
      },
      { toolCalls: [{ name: "calculate_triangle_area", arguments: { base: 10, height: 6 } }] },
    ]);
    const simpleOnly: typeof bfclSuite = {
      ...bfclSuite,
      loadCases: async (context) => (await bfclSuite.loadCases(context)).filter((item) => item.category === "simple"),
    };
    const report = await runSuite(simpleOnly, {
      driver: new InProcessDriver({ model }),
      datasetsDirectory: resolveDatasetsDirectory(),
      limit: 1,
      repeat: 2,
      concurrency: 1,
      progress: false,
    });
    model.assertDone();
    expect(report.metrics["accuracy.simple"]).toMatchObject({ value: 0.5, n: 1 });
    expect(report.cases[1]!.scores.ast!.reason).toMatch(/"height": 6 is not among \[5\]/);
    expect(report.metrics["accuracy.parallel"]).toBeUndefined();
  });
});
