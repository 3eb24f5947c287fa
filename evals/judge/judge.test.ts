import { describe, expect, it } from "vitest";
import { ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver } from "../runner/in-process-driver.ts";
import { runSuite } from "../runner/run-suite.ts";
import { judgeCalibrationSuite } from "../suites/judge-calibration/suite.ts";
import { Judge, JudgeOutputError, rubricSchema } from "./judge.ts";

const rubric = (precision: number) =>
  JSON.stringify({ relevance: 8, precision, clarity: 8, completeness: 8, reason: "ok" });
const verdict = (winner: "A" | "B" | "tie") => JSON.stringify({ winner, reason: "r" });

describe("Judge", () => {
  it("asks for the rubric as JSON under a schema and scales the mean to 0-1", async () => {
    const model = new ScriptedModel([
      {
        text: [rubric(10)],
        expect: (request) => {
          expect(request.responseFormat).toEqual({ type: "json", schema: rubricSchema });
          expect(request.temperature).toBe(0);
          expect(request.messages.at(-1)!.content).toContain("ANSWER: Paris");
        },
      },
    ]);
    const score = await new Judge(model).rubric({ question: "Capital of France?", answer: "Paris" });
    expect(score.scores).toEqual({ relevance: 8, precision: 10, clarity: 8, completeness: 8 });
    expect(score.overall).toBeCloseTo((8.5 - 1) / 9);
  });

  it("judges a pair in both orders and reports a consistent winner or an inconsistency", async () => {
    const consistent = new Judge(new ScriptedModel([{ text: [verdict("A")] }, { text: [verdict("B")] }]));
    expect(await consistent.compare({ question: "q", first: "x", second: "y" })).toEqual({
      winner: "first",
      asShown: ["A", "B"],
    });
    const biased = new Judge(new ScriptedModel([{ text: [verdict("A")] }, { text: [verdict("A")] }]));
    expect((await biased.compare({ question: "q", first: "x", second: "y" })).winner).toBe("inconsistent");
  });

  it("rejects output that is not JSON or breaks the schema", async () => {
    await expect(
      new Judge(new ScriptedModel([{ text: ["great answer"] }])).rubric({ question: "q", answer: "a" }),
    ).rejects.toThrow(JudgeOutputError);
    await expect(
      new Judge(new ScriptedModel([{ text: [rubric(11)] }])).rubric({ question: "q", answer: "a" }),
    ).rejects.toThrow(/schema/);
  });
});

describe("judge-calibration suite", () => {
  const run = (steps: ConstructorParameters<typeof ScriptedModel>[0], limit: number) => {
    const judgeModel = new ScriptedModel(steps);
    const judge = new Judge(judgeModel);
    const suite = { ...judgeCalibrationSuite, afterRun: undefined };
    return runSuite(suite, {
      driver: new InProcessDriver({ model: new ScriptedModel([]) }),
      judge,
      datasetsDirectory: undefined,
      limit,
      concurrency: 1,
      progress: false,
    }).then((report) => {
      judgeModel.assertDone();
      return report;
    });
  };
  // Four categories × limit 1 = 4 pairs; each pair: rubric(correct), rubric(wrong), compare (2 requests).
  it("scores a perfect, position-consistent judge at accuracy 1, kappa 1, no position bias", async () => {
    const perPair = [{ text: [rubric(9)] }, { text: [rubric(2)] }, { text: [verdict("A")] }, { text: [verdict("B")] }];
    const report = await run(Array.from({ length: 4 }, () => perPair).flat(), 1);
    expect(report.metrics.accuracy).toMatchObject({ value: 1, n: 4 });
    expect(report.metrics.kappa!.value).toBe(1);
    expect(report.metrics.position_bias!.value).toBe(0);
    expect(report.metrics.pairwise_accuracy!.value).toBe(1);
    expect(report.judge).toMatchObject({ provider: "scripted", model: "scripted" });
  });

  it("exposes a judge that always accepts and always picks the first position", async () => {
    const perPair = [{ text: [rubric(9)] }, { text: [rubric(9)] }, { text: [verdict("A")] }, { text: [verdict("A")] }];
    const report = await run(Array.from({ length: 4 }, () => perPair).flat(), 1);
    expect(report.metrics.accuracy!.value).toBe(0.5);
    expect(report.metrics.kappa!.value).toBe(0);
    expect(report.metrics.position_bias!.value).toBe(1);
    expect(report.metrics.position_consistency!.value).toBe(0);
  });
});
