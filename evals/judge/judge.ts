import { z } from "zod";
import type { ModelProvider, ModelRequest } from "realtime-agent";
import type { JudgeInfo } from "./judge-info.ts";

export const rubricCriteria = ["relevance", "precision", "clarity", "completeness"] as const;
export type RubricCriterion = (typeof rubricCriteria)[number];

const oneToTen = { type: "integer", enum: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
/** The JSON Schema the judge's output is forced to (a grammar for the local model). */
export const rubricSchema = {
  type: "object",
  properties: {
    ...Object.fromEntries(rubricCriteria.map((criterion) => [criterion, oneToTen])),
    reason: { type: "string", maxLength: 100 },
  },
  required: [...rubricCriteria, "reason"],
};
const rubricOutput = z.object({
  relevance: z.number().int().min(1).max(10),
  precision: z.number().int().min(1).max(10),
  clarity: z.number().int().min(1).max(10),
  completeness: z.number().int().min(1).max(10),
  reason: z.string(),
});

export const pairwiseSchema = {
  type: "object",
  properties: { winner: { type: "string", enum: ["A", "B", "tie"] }, reason: { type: "string", maxLength: 100 } },
  required: ["winner", "reason"],
};
const pairwiseOutput = z.object({ winner: z.enum(["A", "B", "tie"]), reason: z.string() });

export interface RubricScore {
  scores: Record<RubricCriterion, number>;
  /** Mean of the four criteria, scaled to [0, 1]. */
  overall: number;
  reason: string;
}

export interface PairwiseVerdict {
  /** Which answer won once both orders were judged; `inconsistent` when the swap changed the verdict. */
  winner: "first" | "second" | "tie" | "inconsistent";
  /** Verdicts by position: with the first answer shown as A, then with it shown as B. */
  asShown: ["A" | "B" | "tie", "A" | "B" | "tie"];
}

export class JudgeOutputError extends Error {
  override name = "JudgeOutputError";
}

const rubricInstructions = `You are a strict evaluator. Rate the ANSWER to the QUESTION from 1 (worst) to 10 (best) on:
relevance: does it address the question?
precision: are its facts and numbers correct? A wrong number or fact scores 1-3.
clarity: is it clear and well written?
completeness: does it fully answer the question?
Reply with JSON only.`;

const pairwiseInstructions = `You are a strict evaluator. Two answers, A and B, reply to the same QUESTION.
Decide which one is more correct and helpful. Judge the content, not the order or length.
Reply with JSON only: winner is "A", "B" or "tie".`;

/**
 * An LLM judge over any model provider: rubric scores with the seed's four criteria (output forced
 * to a JSON schema) and pairwise comparison judged in both orders to cancel position bias.
 */
export class Judge {
  readonly provider: ModelProvider;
  #model: string | undefined;
  calibration: JudgeInfo["calibration"] = null;

  constructor(provider: ModelProvider) {
    this.provider = provider;
  }

  get info(): JudgeInfo {
    return { provider: this.provider.id, model: this.#model ?? this.provider.id, calibration: this.calibration };
  }

  get id(): string {
    return `${this.provider.id}-${this.#model ?? "unknown"}`.replace(/[^A-Za-z0-9_.-]+/g, "_");
  }

  /** Learns the model's name from the provider with a one-token request. */
  async warmUp(): Promise<void> {
    for await (const event of this.provider.stream({
      messages: [{ role: "user", content: "Hi" }],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: 1,
    })) {
      if (event.type === "finish") this.#model = event.model;
    }
  }

  async rubric(input: { question: string; answer: string; reference?: string }): Promise<RubricScore> {
    const reference = input.reference ? `\nREFERENCE (a correct answer): ${input.reference}` : "";
    const output = await this.#ask(
      rubricInstructions,
      `QUESTION: ${input.question}${reference}\nANSWER: ${input.answer}`,
      rubricSchema,
      rubricOutput,
    );
    const scores = Object.fromEntries(rubricCriteria.map((criterion) => [criterion, output[criterion]])) as Record<
      RubricCriterion,
      number
    >;
    const overall =
      (rubricCriteria.reduce((sum, criterion) => sum + scores[criterion], 0) / rubricCriteria.length - 1) / 9;
    return { scores, overall, reason: output.reason };
  }

  async compare(input: { question: string; first: string; second: string }): Promise<PairwiseVerdict> {
    const ask = (a: string, b: string) =>
      this.#ask(
        pairwiseInstructions,
        `QUESTION: ${input.question}\nANSWER A: ${a}\nANSWER B: ${b}`,
        pairwiseSchema,
        pairwiseOutput,
      );
    const firstAsA = await ask(input.first, input.second);
    const firstAsB = await ask(input.second, input.first);
    const asShown: PairwiseVerdict["asShown"] = [firstAsA.winner, firstAsB.winner];
    const fromFirstOrder = firstAsA.winner === "A" ? "first" : firstAsA.winner === "B" ? "second" : "tie";
    const fromSecondOrder = firstAsB.winner === "B" ? "first" : firstAsB.winner === "A" ? "second" : "tie";
    return { winner: fromFirstOrder === fromSecondOrder ? fromFirstOrder : "inconsistent", asShown };
  }

  async #ask<T>(system: string, user: string, schema: Record<string, unknown>, parser: z.ZodType<T>): Promise<T> {
    const request: ModelRequest = {
      messages: [
        { role: "system", content: system },
        { role: "user", content: user },
      ],
      tools: [],
      toolChoice: "none",
      responseFormat: { type: "json", schema },
      temperature: 0,
      maxOutputTokens: 200,
    };
    let text = "";
    for await (const event of this.provider.stream(request)) {
      if (event.type === "text-delta") text += event.text;
      else if (event.type === "finish") this.#model = event.model;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new JudgeOutputError(`The judge did not return JSON: ${text.slice(0, 200)}`);
    }
    const result = parser.safeParse(parsed);
    if (!result.success)
      throw new JudgeOutputError(`The judge's JSON does not match the schema: ${result.error.issues[0]?.message}`);
    return result.data;
  }
}
