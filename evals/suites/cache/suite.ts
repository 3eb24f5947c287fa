import { type CacheScope, LocalMiniLmEmbedder, SemanticCache } from "realtime-agent";
import { z } from "zod";
import { loadJsonlCases } from "../jsonl-cases.ts";
import type { EvalSuite } from "../../runner/types.ts";
import { verdict } from "../../scorers/types.ts";
import { modelFreeOutcome } from "../../runner/model-free-outcome.ts";

const cacheCaseSchema = z
  .object({
    id: z.string(),
    language: z.enum(["en", "es"]),
    category: z.enum(["paraphrase", "near_duplicate"]),
    /** The question whose answer is cached. */
    stored: z.string(),
    /** The question asked later: a paraphrase must be served the answer, a near-duplicate must not. */
    asked: z.string(),
    /** Near-duplicates: what differs (number, place, day, currency direction, negation…). */
    differs_in: z.string().optional(),
  })
  .strict();
/**
 * `dev`: the pairs the cache's guard was tuned on; `held-out`: pairs written without seeing the guard
 * (the first set, held-out.jsonl, was then used to widen the guard: see the results README);
 * `blind`: a second set written without seeing the guard or the other sets, run once after that;
 * `blind-3`: a third, written the same way in session 8, run once, then read to add the single-word
 * rule (single-word-change.ts); `blind-4`: a fourth, written after that rule, run once.
 */
export type CacheCase = z.infer<typeof cacheCaseSchema> & {
  split: "dev" | "held-out" | "blind" | "blind-3" | "blind-4";
};

export function loadCacheCases(): CacheCase[] {
  const dev = loadJsonlCases(new URL("./cases.jsonl", import.meta.url), cacheCaseSchema);
  const heldOut = loadJsonlCases(new URL("./held-out.jsonl", import.meta.url), cacheCaseSchema);
  const blind = loadJsonlCases(new URL("./held-out-2.jsonl", import.meta.url), cacheCaseSchema);
  const blind3 = loadJsonlCases(new URL("./held-out-3.jsonl", import.meta.url), cacheCaseSchema);
  const blind4 = loadJsonlCases(new URL("./held-out-4.jsonl", import.meta.url), cacheCaseSchema);
  return [
    ...dev.map((item) => ({ ...item, split: "dev" as const })),
    ...heldOut.map((item) => ({ ...item, split: "held-out" as const })),
    ...blind.map((item) => ({ ...item, split: "blind" as const })),
    ...blind3.map((item) => ({ ...item, split: "blind-3" as const })),
    ...blind4.map((item) => ({ ...item, split: "blind-4" as const })),
  ];
}

/** The rates are reported for all pairs, per language and per split. */
const groups: { suffix: string; label: string; includes: (tags: Record<string, string>) => boolean }[] = [
  { suffix: "", label: "", includes: () => true },
  { suffix: ".en", label: " (en)", includes: (tags) => tags.language === "en" },
  { suffix: ".es", label: " (es)", includes: (tags) => tags.language === "es" },
  { suffix: ".dev", label: " (dev pairs)", includes: (tags) => tags.split === "dev" },
  { suffix: ".held_out", label: " (held-out pairs)", includes: (tags) => tags.split === "held-out" },
  { suffix: ".blind", label: " (blind pairs)", includes: (tags) => tags.split === "blind" },
  { suffix: ".blind_3", label: " (third blind pairs)", includes: (tags) => tags.split === "blind-3" },
  { suffix: ".blind_4", label: " (fourth blind pairs)", includes: (tags) => tags.split === "blind-4" },
];

const scope: CacheScope = {
  owner: "eval",
  tools: "calculator,currency,weather,web_search",
  model: "eval",
  language: "any",
};
let embedder: LocalMiniLmEmbedder | undefined;

/**
 * The semantic cache alone (no chat model): each case caches an answer for one question and asks
 * another. Paraphrases (written by the project, English and Spanish) should be served; near-duplicates
 * that differ in a number, a place, a day, a currency's direction or a negation must not.
 */
export const cacheSuite: EvalSuite<CacheCase> = {
  name: "cache",
  description:
    "Semantic cache on the local embedder (threshold 0.85 + false-hit guard): paraphrases served, near-duplicates refused, English and Spanish.",
  defaultConcurrency: 1,
  async loadCases(context) {
    const cases = loadCacheCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase) {
    embedder ??= new LocalMiniLmEmbedder();
    const cache = new SemanticCache(embedder);
    const started = performance.now();
    await cache.store(testCase.stored, scope, { text: `answer to: ${testCase.stored}`, toolsUsed: [] });
    const lookup = await cache.lookup(testCase.asked, scope);
    const served = lookup.hit !== undefined;
    const similarity = lookup.nearestSimilarity ?? 0;
    const reason = `similarity ${similarity.toFixed(3)}${lookup.refused ? `, refused: ${lookup.refused}` : ""}`;
    return {
      id: testCase.id,
      category: testCase.category,
      input: `${testCase.stored} → ${testCase.asked}`,
      output: served ? "served" : "not served",
      expected: testCase.category === "paraphrase" ? "served" : "not served",
      scores: {
        correct: verdict(served === (testCase.category === "paraphrase"), reason),
      },
      tags: {
        language: testCase.language,
        split: testCase.split,
        ...(testCase.differs_in ? { differs_in: testCase.differs_in } : {}),
      },
      values: { similarity },
      ...modelFreeOutcome(started),
    };
  },
  metrics: [
    ...groups.flatMap(({ suffix, label, includes }) => [
      {
        name: `paraphrase_hit_rate${suffix}`,
        description: `Paraphrases served the cached answer${label}.`,
        higherIsBetter: true,
        unit: "ratio" as const,
        of: (result: { category: string; output: string; tags: Record<string, string> }) =>
          result.category === "paraphrase" && includes(result.tags) ? Number(result.output === "served") : undefined,
      },
      {
        name: `false_hit_rate${suffix}`,
        description: `Near-duplicates wrongly served another question's answer${label}.`,
        higherIsBetter: false,
        unit: "ratio" as const,
        of: (result: { category: string; output: string; tags: Record<string, string> }) =>
          result.category === "near_duplicate" && includes(result.tags)
            ? Number(result.output === "served")
            : undefined,
      },
    ]),
    {
      name: "similarity",
      description: "Cosine similarity of the asked question to the cached one.",
      higherIsBetter: true,
      unit: "score",
      byCategory: true,
      gate: false,
      of: (result) => result.values.similarity,
    },
  ],
};
