import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * What an argument must be (README.md in this folder): a literal (numbers by value, strings ignoring
 * case, accents and spacing), or one of the checks below. Arguments a case does not list are free.
 */
export const argumentExpectationSchema = z.union([
  z.number(),
  z.string(),
  z.object({ evaluatesTo: z.number(), tolerance: z.number().positive().optional() }).strict(),
  z.object({ setOf: z.array(z.string()).min(1) }).strict(),
  z.object({ containsAll: z.array(z.string()).min(1) }).strict(),
  z.object({ containsAny: z.array(z.string()).min(1) }).strict(),
]);
export type ArgumentExpectation = z.infer<typeof argumentExpectationSchema>;

export const expectedCallSchema = z
  .object({ tool: z.string(), arguments: z.record(z.string(), argumentExpectationSchema) })
  .strict();
export type ExpectedCall = z.infer<typeof expectedCallSchema>;

export const toolUseCategories = [
  "calculator",
  "currency",
  "weather",
  "web_search",
  "market_price",
  "two-tool",
  "follow-up",
  "no-tool",
] as const;

export const toolUseCaseSchema = z
  .object({
    id: z.string().regex(/^(en|es)-[a-z_-]+-\d{2}$/),
    language: z.enum(["en", "es"]),
    category: z.enum(toolUseCategories),
    split: z.enum(["dev", "heldout", "blind"]),
    /** The previous turn, for follow-ups that depend on it. */
    previous: z
      .object({ user: z.string().min(1), assistant: z.string().min(1) })
      .strict()
      .optional(),
    message: z.string().min(1),
    /** The calls a right answer makes, in any order; empty when the message needs no tool. */
    expected: z.array(expectedCallSchema),
  })
  .strict();
export type ToolUseCase = z.infer<typeof toolUseCaseSchema>;

export const toolUseCasesUrl = new URL("./cases.jsonl", import.meta.url);
/**
 * A second held-out set, written in session 8 by someone who saw neither the cases above nor any
 * result (split `blind`): the held-out split had been read while fixing the agent.
 */
export const blindToolUseCasesUrl = new URL("./cases-blind.jsonl", import.meta.url);

/** The suite's cases: cases.jsonl (dev and held-out), then the blind set. */
export function loadAllToolUseCases(): ToolUseCase[] {
  return [...loadToolUseCases(toolUseCasesUrl), ...loadToolUseCases(blindToolUseCasesUrl)];
}

/** Reads and validates a cases file (one case per line). */
export function loadToolUseCases(url: URL = toolUseCasesUrl): ToolUseCase[] {
  const file = url.pathname.split("/").pop();
  return readFileSync(url, "utf8")
    .split("\n")
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      const parsed = toolUseCaseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) {
        throw new Error(
          `${file} line ${index + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
        );
      }
      return parsed.data;
    });
}

/**
 * The fixed split rule: within each language and category, in file order, every third case (the
 * 3rd, 6th, 9th, …) is held out. Chosen before any result was seen; a test checks the file keeps it.
 */
export function splitByRule(cases: readonly Pick<ToolUseCase, "language" | "category">[]): ("dev" | "heldout")[] {
  const seen = new Map<string, number>();
  return cases.map((item) => {
    const key = `${item.language}/${item.category}`;
    const position = (seen.get(key) ?? 0) + 1;
    seen.set(key, position);
    return position % 3 === 0 ? "heldout" : "dev";
  });
}
