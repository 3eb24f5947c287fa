import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { datasetDirectory } from "../datasets.ts";
import type { FunctionSpec, GroundTruthCall } from "./ast-match.ts";

export const bfclCategories = ["simple", "multiple", "parallel", "parallel_multiple", "irrelevance"] as const;
export type BfclCategory = (typeof bfclCategories)[number];

const fileOf: Record<BfclCategory, string> = {
  simple: "BFCL_v4_simple_python.json",
  multiple: "BFCL_v4_multiple.json",
  parallel: "BFCL_v4_parallel.json",
  parallel_multiple: "BFCL_v4_parallel_multiple.json",
  irrelevance: "BFCL_v4_irrelevance.json",
};

const functionSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z
    .object({
      type: z.string(),
      properties: z.record(z.string(), z.any()).optional(),
      required: z.array(z.string()).optional(),
    })
    .passthrough(),
});
const questionSchema = z.object({
  id: z.string(),
  question: z.array(z.array(z.object({ role: z.string(), content: z.string() }))),
  function: z.array(functionSchema),
});
const answerSchema = z.object({
  id: z.string(),
  ground_truth: z.array(z.record(z.string(), z.record(z.string(), z.array(z.unknown())))),
});

export interface BfclCase {
  id: string;
  category: BfclCategory;
  messages: { role: string; content: string }[];
  functions: (FunctionSpec & { description: string; parameters: Record<string, unknown> })[];
  groundTruth: GroundTruthCall[];
}

function parseLines<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file} line ${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

/** Reads one BFCL category in place from the datasets folder, with its ground truth. */
export async function loadBfclCategory(
  datasetsDirectory: string | undefined,
  category: BfclCategory,
  limit?: number,
): Promise<BfclCase[]> {
  const folder = datasetDirectory(datasetsDirectory, "bfcl");
  const questions = parseLines(
    await readFile(join(folder, fileOf[category]), "utf8"),
    questionSchema,
    fileOf[category],
  );
  const answers = new Map<string, GroundTruthCall[]>();
  if (category !== "irrelevance") {
    const answerFile = join("possible_answer", fileOf[category]);
    for (const answer of parseLines(await readFile(join(folder, answerFile), "utf8"), answerSchema, answerFile)) {
      answers.set(answer.id, answer.ground_truth);
    }
  }
  const selected = limit === undefined ? questions : questions.slice(0, limit);
  return selected.map((question) => {
    const groundTruth = category === "irrelevance" ? [] : answers.get(question.id);
    if (!groundTruth) throw new Error(`BFCL ${category}: no ground truth for ${question.id}`);
    return {
      id: question.id,
      category,
      messages: question.question[0] ?? [],
      functions: question.function.map((fn) => ({
        name: fn.name,
        description: fn.description,
        parameters: fn.parameters as FunctionSpec["parameters"] & Record<string, unknown>,
      })),
      groundTruth,
    };
  });
}
