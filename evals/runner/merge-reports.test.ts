import { describe, expect, it } from "vitest";
import { mergeReports } from "./merge-reports.ts";
import { runSuite } from "./run-suite.ts";
import type { EvalCase, EvalSuite, TurnDriver } from "./types.ts";

interface NumberCase extends EvalCase {
  value: number;
}

/** A suite whose cases pass when their number is even; the driver only echoes. */
function evenSuite(values: number[]): EvalSuite<NumberCase> {
  return {
    name: "even",
    description: "Even numbers pass.",
    loadCases: async () =>
      values.map((value) => ({ id: `n${value}`, category: value < 10 ? "small" : "large", value })),
    async runCase(testCase, context) {
      const observation = await context.driver.runTurn({ sessionId: testCase.id, text: String(testCase.value) });
      return {
        id: testCase.id,
        category: testCase.category,
        input: observation.text,
        output: observation.text,
        expected: "even",
        scores: { even: { score: Number(testCase.value % 2 === 0), pass: testCase.value % 2 === 0, reason: "" } },
        tags: {},
        values: {},
        time_to_first_token_ms: 1,
        total_ms: 2,
        usage: { input_tokens: 1, output_tokens: 1 },
        tool_calls: [],
        provider: "echo",
        model: "echo",
      };
    },
    metrics: [
      {
        name: "even",
        description: "Share even.",
        higherIsBetter: true,
        unit: "ratio",
        byCategory: true,
        of: (r) => r.scores.even?.score,
      },
    ],
  };
}

const echo: TurnDriver = {
  name: "echo",
  supportsCustomTools: true,
  runTurn: async (request) => ({
    text: request.text,
    toolCalls: [],
    toolResults: [],
    usage: { inputTokens: 1, outputTokens: 1 },
    timeToFirstTokenMs: 1,
    totalMs: 2,
    provider: "echo",
    model: "echo",
  }),
  close: async () => {},
};

const run = (values: number[]) =>
  runSuite(evenSuite(values), { driver: echo, datasetsDirectory: undefined, progress: false });

describe("mergeReports", () => {
  it("recomputes every metric over the parts' cases, as one run over all of them would", async () => {
    const all = [2, 3, 4, 12, 13, 15, 16];
    const [whole, small, large] = await Promise.all([
      run(all),
      run(all.filter((v) => v < 10)),
      run(all.filter((v) => v >= 10)),
    ]);
    const merged = mergeReports(evenSuite(all), [small, large]);
    expect(merged.cases.map((result) => result.id)).toEqual(whole.cases.map((result) => result.id));
    expect(merged.metrics.even).toMatchObject({ value: whole.metrics.even!.value, n: 7 });
    expect(merged.breakdown.large?.even?.value).toBeCloseTo(2 / 4);
    expect(merged.merged_from).toEqual([small.run_id, large.run_id]);
    expect(merged.wall_time_ms).toBe(small.wall_time_ms + large.wall_time_ms);
  });

  it("refuses a case in two parts, and parts of another model or suite", async () => {
    const [first, overlapping] = await Promise.all([run([2, 3]), run([3, 4])]);
    expect(() => mergeReports(evenSuite([2, 3, 4]), [first, overlapping])).toThrow(
      /Case n3 \(repeat 0\) is in more than one report/,
    );
    const otherModel = { ...overlapping, config: { ...overlapping.config, model: "other" } };
    expect(() => mergeReports(evenSuite([2, 3, 4]), [first, otherModel])).toThrow(/differ in model/);
    expect(() => mergeReports({ ...evenSuite([]), name: "odd" }, [first])).toThrow(/is of suite even, not odd/);
  });
});
