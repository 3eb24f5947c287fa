import { readFile } from "node:fs/promises";
import { z } from "zod";
import { saveCalibration } from "../../judge/calibration-store.ts";
import { cohensKappa } from "../../stats/agreement.ts";
import type { CaseResult, EvalSuite } from "../../runner/types.ts";
import { modelFreeOutcome } from "../../runner/model-free-outcome.ts";

const pairSchema = z.object({
  id: z.string(),
  category: z.string(),
  question: z.string(),
  correct: z.string(),
  incorrect: z.string(),
});
type CalibrationCase = z.infer<typeof pairSchema>;

/** The rubric's precision score at or above which the judge is taken to call an answer correct. */
export const precisionThreshold = 6;

/** True and judged labels of both answers of each pair; a judge that gave no verdict is wrong on both. */
const labelPairs = (results: readonly CaseResult[]) =>
  results.flatMap((result) =>
    result.error
      ? [
          { expected: "correct", predicted: "no verdict" },
          { expected: "incorrect", predicted: "no verdict" },
        ]
      : [
          { expected: "correct", predicted: result.values.correct_judged_correct === 1 ? "correct" : "incorrect" },
          { expected: "incorrect", predicted: result.values.incorrect_judged_correct === 1 ? "correct" : "incorrect" },
        ],
  );

/** Position bias: (verdicts for the answer shown first − verdicts for the one shown second) / verdicts; 0 is unbiased. */
function positionBias(results: readonly CaseResult[]): number {
  const shownFirst = results.reduce((sum, result) => sum + (result.values.verdicts_for_position_a ?? 0), 0);
  const shownSecond = results.reduce((sum, result) => sum + (result.values.verdicts_for_position_b ?? 0), 0);
  const total = results.length * 2;
  return total === 0 ? Number.NaN : (shownFirst - shownSecond) / total;
}

export const judgeCalibrationSuite: EvalSuite<CalibrationCase> = {
  name: "judge-calibration",
  description:
    "The judge against labelled answers (correct vs. planted factual or arithmetic errors): accuracy, Cohen's kappa, position bias.",
  usesJudge: "required",
  async loadCases(context) {
    const text = await readFile(new URL("./calibration.jsonl", import.meta.url), "utf8");
    const pairs = text
      .split("\n")
      .filter((line) => line.trim())
      .map((line) => pairSchema.parse(JSON.parse(line)));
    if (context.limit === undefined) return pairs;
    // A limit takes the first N of each category, so every kind of planted error stays represented.
    const byCategory = new Map<string, CalibrationCase[]>();
    for (const pair of pairs) byCategory.set(pair.category, [...(byCategory.get(pair.category) ?? []), pair]);
    return [...byCategory.values()].flatMap((group) => group.slice(0, context.limit));
  },
  async runCase(testCase, context) {
    const judge = context.judge!;
    const started = performance.now();
    const correct = await judge.rubric({ question: testCase.question, answer: testCase.correct });
    const incorrect = await judge.rubric({ question: testCase.question, answer: testCase.incorrect });
    const comparison = await judge.compare({
      question: testCase.question,
      first: testCase.correct,
      second: testCase.incorrect,
    });
    const correctOk = correct.scores.precision >= precisionThreshold;
    const incorrectOk = incorrect.scores.precision < precisionThreshold;
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.question,
      output: `correct answer → precision ${correct.scores.precision}; wrong answer → precision ${incorrect.scores.precision}; pairwise: ${comparison.winner} (as shown: ${comparison.asShown.join(", ")})`,
      expected: `correct: ${testCase.correct} | wrong: ${testCase.incorrect}`,
      scores: {
        accepts_correct: { score: correctOk ? 1 : 0, pass: correctOk, reason: correct.reason },
        rejects_incorrect: { score: incorrectOk ? 1 : 0, pass: incorrectOk, reason: incorrect.reason },
        pairwise: {
          score: comparison.winner === "first" ? 1 : 0,
          pass: comparison.winner === "first",
          reason: `winner ${comparison.winner}`,
        },
      },
      tags: {},
      values: {
        correct_judged_correct: correctOk ? 1 : 0,
        incorrect_judged_correct: incorrectOk ? 0 : 1,
        pairwise_correct: comparison.winner === "first" ? 1 : 0,
        pairwise_consistent: comparison.winner === "inconsistent" ? 0 : 1,
        verdicts_for_position_a: comparison.asShown.filter((verdict) => verdict === "A").length,
        verdicts_for_position_b: comparison.asShown.filter((verdict) => verdict === "B").length,
      },
      ...modelFreeOutcome(started),
      provider: judge.info.provider,
      model: judge.info.model,
    };
  },
  metrics: [
    {
      name: "accuracy",
      description: `Share of the 2 labelled answers per pair the rubric labels right (precision ≥ ${precisionThreshold} = correct).`,
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      statistic: (results) => {
        const pairs = labelPairs(results);
        return pairs.filter((pair) => pair.expected === pair.predicted).length / pairs.length;
      },
    },
    {
      name: "kappa",
      description: "Cohen's kappa between the rubric's labels and the true labels.",
      higherIsBetter: true,
      unit: "kappa",
      byCategory: true,
      statistic: (results) => cohensKappa(labelPairs(results)),
    },
    {
      name: "pairwise_accuracy",
      description: "Share of pairs where the judge prefers the correct answer in both orders.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.values.pairwise_correct,
    },
    {
      name: "position_consistency",
      description: "Share of pairs whose verdict survives swapping the order.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.values.pairwise_consistent,
    },
    {
      name: "position_bias",
      description: "(verdicts for position A − verdicts for position B) / verdicts; 0 is unbiased, +1 always picks A.",
      higherIsBetter: false,
      unit: "score",
      gate: false,
      statistic: positionBias,
    },
  ],
  async afterRun(report, judge) {
    const { accuracy, kappa, position_bias: bias } = report.metrics;
    if (!judge || !accuracy || !kappa || !bias) return;
    const pick = ({ value, ci_low, ci_high, n }: typeof accuracy) => ({ value, ci_low, ci_high, n });
    judge.calibration = {
      accuracy: pick(accuracy),
      kappa: pick(kappa),
      position_bias: pick(bias),
      measured_at: report.finished_at,
      items: report.cases.length * 2,
    };
    saveCalibration(judge, judge.calibration);
  },
};
