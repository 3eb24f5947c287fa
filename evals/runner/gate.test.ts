import { describe, expect, it } from "vitest";
import { seededRandom } from "../stats/random.ts";
import { compareWithBaseline } from "./gate.ts";
import type { CaseResult, MetricDefinition, RunReport } from "./types.ts";
import { bootstrapMean } from "../stats/bootstrap.ts";

const accuracy: MetricDefinition = {
  name: "accuracy",
  description: "",
  higherIsBetter: true,
  unit: "ratio",
  of: (result) => result.scores.check?.score,
};

function reportWith(passRate: number, cases: number, seed: number): RunReport {
  const random = seededRandom(seed);
  const results: CaseResult[] = Array.from({ length: cases }, (_, index) => {
    const pass = random() < passRate;
    return {
      id: `case-${index}`,
      category: "all",
      repeat: 0,
      input: "",
      output: "",
      expected: "",
      scores: { check: { score: pass ? 1 : 0, pass, reason: "" } },
      tags: {},
      values: {},
      time_to_first_token_ms: 1,
      total_ms: 1,
      usage: { input_tokens: 0, output_tokens: 0 },
      cost_usd: 0,
      tool_calls: [],
    };
  });
  const estimate = bootstrapMean(results.map((result) => [result.scores.check!.score]));
  return {
    schema_version: 2,
    run_id: `run-${seed}`,
    suite: "test",
    description: "",
    started_at: "",
    finished_at: "",
    wall_time_ms: 0,
    config: {
      target: "in-process",
      provider: "scripted",
      model: "scripted",
      repeat: 1,
      limit: null,
      concurrency: 1,
      seed: 1,
      tool_routing: "off",
    },
    machine: { cores: 2, cpu_model: "", node: "", platform: "" },
    judge: null,
    metrics: { accuracy: { ...estimate, unit: "ratio", gate: true, higher_is_better: true, description: "" } },
    breakdown: {},
    latency: { time_to_first_token_ms: null, total_ms: { p50: 0, p90: 0, p99: 0, histogram: [] } },
    cases: results,
  };
}

describe("baseline gate", () => {
  it("fails on a planted regression", () => {
    const result = compareWithBaseline(reportWith(0.55, 300, 1), reportWith(0.85, 300, 2), [accuracy]);
    expect(result.passed).toBe(false);
    expect(result.comparisons[0]).toMatchObject({ metric: "accuracy", significant_regression: true });
    expect(result.comparisons[0]!.delta.ci_high).toBeLessThan(0);
  });

  it("passes noise within the confidence interval", () => {
    const result = compareWithBaseline(reportWith(0.8, 300, 3), reportWith(0.8, 300, 4), [accuracy]);
    expect(result.passed).toBe(true);
    expect(result.comparisons[0]!.significant_regression).toBe(false);
  });

  it("tolerates a significant drop smaller than the tolerance", () => {
    const current = reportWith(0.75, 2000, 5);
    const baseline = reportWith(0.8, 2000, 6);
    expect(compareWithBaseline(current, baseline, [accuracy]).passed).toBe(false);
    expect(compareWithBaseline(current, baseline, [accuracy], { tolerance: 0.1 }).passed).toBe(true);
  });

  it("reports a significant improvement without failing", () => {
    const result = compareWithBaseline(reportWith(0.9, 300, 7), reportWith(0.6, 300, 8), [accuracy]);
    expect(result).toMatchObject({ passed: true, comparisons: [{ significant_improvement: true }] });
  });
});
