import { describe, expect, it } from "vitest";
import { calibrateConfidence } from "realtime-agent";
import type { CaseResult, RunReport } from "../runner/types.ts";
import { catalogueNameOf, confidenceSamples, fitOnReport } from "./fit-confidence.ts";

/** A report whose raw confidences are overconfident: right half as often as they say, drawn deterministically. */
function overconfidentReport(): RunReport {
  const cases: CaseResult[] = Array.from({ length: 400 }, (_, index) => {
    const confidence = 0.5 + (0.45 * ((index * 37) % 100)) / 100;
    const correct = ((index * 53) % 100) / 100 < calibrateConfidence(confidence, { slope: 1, intercept: -1.2 });
    return {
      id: `c${index}`,
      category: "fact",
      repeat: 0,
      input: "",
      output: "",
      expected: "",
      scores: { correct: { score: Number(correct), pass: correct, reason: "" } },
      tags: { split: index % 2 ? "held-out" : "dev" },
      values: { confidence },
      time_to_first_token_ms: null,
      total_ms: 1,
      usage: { input_tokens: 0, output_tokens: 0 },
      cost_usd: null,
      tool_calls: [],
    };
  });
  return {
    calibration: { score: "correct", n: 400, ece: 0, brier: 0, bins: [], without_confidence: 0 },
    config: { model: "qwen2.5-coder-0.5b-instruct-q4_k_m" },
    suite: "exact-answers",
    run_id: "run-1",
    cases,
  } as unknown as RunReport;
}

describe("fitting the confidence calibration on a report", () => {
  it("fits on the dev cases and lowers the held-out cases' calibration error", () => {
    const report = overconfidentReport();
    expect(confidenceSamples(report, "dev")).toHaveLength(200);
    const fit = fitOnReport(report);
    expect(fit.fittedOn).toBe(200);
    expect(fit.heldOut.calibrated.ece).toBeLessThan(fit.heldOut.raw.ece / 2);
    expect(fit.calibration.fittedOn).toContain("run-1");
  });

  it("names the model as the catalogue does, and refuses a report without a calibration section", () => {
    expect(catalogueNameOf(overconfidentReport())).toBe("qwen2.5-coder-0.5b");
    expect(() => confidenceSamples({ ...overconfidentReport(), calibration: undefined }, "dev")).toThrow(
      /no calibration/,
    );
  });
});
