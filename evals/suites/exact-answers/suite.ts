import { escapeRegExp, foldText } from "realtime-agent";
import { z } from "zod";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { EvalSuite } from "../../runner/types.ts";
import { verdict } from "../../scorers/types.ts";
import { loadJsonlCases } from "../jsonl-cases.ts";

const exactCaseSchema = z
  .object({
    id: z.string(),
    language: z.enum(["en", "es"]),
    /** `fact`: one thing the model knows or not; `multi_step`: a word problem of two or more steps. */
    category: z.enum(["fact", "multi_step"]),
    question: z.string(),
    /** Any of these is the right answer (a name, a number, a time). */
    answers: z.array(z.string()).min(1),
  })
  .strict();

/** `dev`: what a calibration is fitted on; `held-out` (every second case, in file order): what it is judged on. */
export type ExactCase = z.infer<typeof exactCaseSchema> & { split: "dev" | "held-out" };

export function loadExactCases(): ExactCase[] {
  return loadJsonlCases(new URL("./cases.jsonl", import.meta.url), exactCaseSchema).map((item, index) => ({
    ...item,
    split: index % 2 === 1 ? ("held-out" as const) : ("dev" as const),
  }));
}

/** Lower case, accents off, thousands separators out of numbers ("2.200", "2,200", "2 200" → "2200"). */
export function normalizeAnswer(text: string): string {
  return foldText(text).replace(/(\d)[.,\s](\d{3})(?!\d)/g, "$1$2");
}

const numberPattern = /\d+(?:[.,]\d+)?(?::\d{2})?/g;

/**
 * Whether an answer says one of the right ones. A fact: the name or number appears as a word. A
 * word problem: the last number (or time) the answer gives is the right one: working shown before it
 * has the intermediate numbers in it.
 */
export function answersRight(answer: string, right: readonly string[], category: ExactCase["category"]): boolean {
  const said = normalizeAnswer(answer);
  const expected = right.map(normalizeAnswer);
  if (category === "multi_step") {
    const numbers = said.match(numberPattern) ?? [];
    const last = numbers.at(-1)?.replace(",", ".");
    const numeric = expected.filter((value) => /^[\d.:]+$/.test(value));
    if (numeric.length > 0)
      return last !== undefined && numeric.some((value) => Number(value) === Number(last) || value === last);
  }
  return expected.some((value) =>
    new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(value)}($|[^\\p{L}\\p{N}])`, "u").test(said),
  );
}

/**
 * Questions with one right answer (facts and word problems, English and Spanish), answered by the
 * agent with no tools: the model's own knowledge and reasoning. The answers' confidence is set
 * against their correctness (the report's calibration); the reasoning chains are compared here too.
 */
export const exactAnswersSuite: EvalSuite<ExactCase> = {
  name: "exact-answers",
  description:
    "Facts and multi-step word problems with one right answer (English and Spanish), no tools: correctness, and the answers' confidence calibrated against it.",
  defaultConcurrency: 1,
  confidenceScore: "correct",
  async loadCases(context) {
    const cases = loadExactCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context) {
    const observation = await context.driver.runTurn({
      sessionId: `exact-${testCase.id}-r${context.repeat}`,
      text: testCase.question,
      tools: [],
      maxOutputTokens: 160,
    });
    const right = answersRight(observation.text, testCase.answers, testCase.category);
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.question,
      output: observation.text,
      expected: testCase.answers.join(" | "),
      scores: { correct: verdict(right, right ? "says the right answer" : "does not say the right answer") },
      tags: { language: testCase.language, split: testCase.split },
      values: (observation.confidence !== undefined ? { confidence: observation.confidence } : {}) as Record<
        string,
        number
      >,
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "accuracy",
      description: "Answers that say the right answer.",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => Number(result.scores.correct!.pass),
    },
    {
      name: "confidence",
      description: "The answers' mean confidence (what the model believed its accuracy was).",
      higherIsBetter: true,
      unit: "ratio",
      gate: false,
      byCategory: true,
      of: (result) => result.values.confidence,
    },
  ],
};
