import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { CaseResult, EvalSuite } from "../../runner/types.ts";
import type { ScoreResult } from "../../scorers/types.ts";
import { verdict } from "../../scorers/types.ts";
import { answersRight, type ExactCase, loadExactCases } from "../exact-answers/suite.ts";

/** The word problems of the exact-answers suite: what reasoning chains are for. */
export function loadReasoningCases(): ExactCase[] {
  return loadExactCases().filter((item) => item.category === "multi_step");
}

const ratio = (name: string, description: string, of: (result: CaseResult) => number | undefined) => ({
  name,
  description,
  higherIsBetter: true,
  unit: "ratio" as const,
  of,
});

/**
 * Reasoning chains against a single chain, on the same word problems (English and Spanish): each case
 * is answered twice by the same agent, once as usual and once with `reasoning: "chains"`, and both
 * answers are checked against the right one; with a judge, it also compares the two answers (in both
 * orders).
 */
export const reasoningSuite: EvalSuite<ExactCase> = {
  name: "reasoning",
  description:
    "Multi-step word problems (en/es), each answered by a single chain and by the four reasoning chains with their synthesis: exact answers, and the judge's preference.",
  defaultConcurrency: 1,
  usesJudge: "optional",
  async loadCases(context) {
    const cases = loadReasoningCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context) {
    const ask = (reasoning: "single" | "chains") =>
      context.driver.runTurn({
        sessionId: `reasoning-${testCase.id}-${reasoning}-r${context.repeat}`,
        text: testCase.question,
        tools: [],
        maxOutputTokens: 192,
        reasoning,
      });
    const single = await ask("single");
    const chains = await ask("chains");
    const singleRight = answersRight(single.text, testCase.answers, testCase.category);
    const chainsRight = answersRight(chains.text, testCase.answers, testCase.category);
    const scores: Record<string, ScoreResult> = {
      single: verdict(singleRight, single.text),
      chains: verdict(chainsRight, chains.text),
    };
    if (context.judge && single.text && chains.text) {
      const judged = await context.judge.compare({
        question: testCase.question,
        first: chains.text,
        second: single.text,
      });
      scores.judged_chains_better = verdict(judged.winner === "first", `judge: ${judged.winner} (chains first)`);
      scores.judged_chains_not_worse = verdict(
        judged.winner === "first" || judged.winner === "tie",
        `judge: ${judged.winner} (chains first)`,
      );
    }
    return {
      id: testCase.id,
      category: testCase.language,
      input: testCase.question,
      output: chains.text,
      expected: testCase.answers.join(" | "),
      scores,
      tags: { language: testCase.language, split: testCase.split, single_answer: single.text.slice(0, 300) },
      values: {
        chains_output_tokens: chains.usage.outputTokens,
        single_output_tokens: single.usage.outputTokens,
        chains_ms: chains.totalMs,
        single_ms: single.totalMs,
      },
      ...outcomeFieldsOf(chains),
    };
  },
  metrics: [
    ratio(
      "accuracy.single",
      "Right answers from a single chain (the agent as usual).",
      (result) => result.scores.single?.score,
    ),
    ratio(
      "accuracy.chains",
      "Right answers from the four chains and their synthesis.",
      (result) => result.scores.chains?.score,
    ),
    {
      name: "chains_minus_single",
      description: "Per problem: chains right minus single right (−1, 0, 1); its mean is the paired difference.",
      higherIsBetter: true,
      unit: "score",
      of: (result) =>
        result.scores.chains && result.scores.single
          ? result.scores.chains.score - result.scores.single.score
          : undefined,
    },
    ratio(
      "judged.chains_better",
      "The judge prefers the chains' answer in both orders.",
      (result) => result.scores.judged_chains_better?.score,
    ),
    ratio(
      "judged.chains_not_worse",
      "The judge finds the chains' answer as good or better.",
      (result) => result.scores.judged_chains_not_worse?.score,
    ),
    {
      name: "tokens.chains_over_single",
      description: "Output tokens of the chains' turn over the single chain's.",
      higherIsBetter: false,
      unit: "score",
      gate: false,
      of: (result) =>
        result.values.single_output_tokens
          ? (result.values.chains_output_tokens ?? 0) / result.values.single_output_tokens
          : undefined,
    },
  ],
};
