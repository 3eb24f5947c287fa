import { generalSpecialist, LocalMiniLmEmbedder, SpecialistRouter } from "realtime-agent";
import { z } from "zod";
import type { EvalSuite } from "../../runner/types.ts";
import { verdict } from "../../scorers/types.ts";
import { loadJsonlCases } from "../jsonl-cases.ts";
import { modelFreeOutcome } from "../../runner/model-free-outcome.ts";

const routingCaseSchema = z
  .object({
    id: z.string(),
    language: z.enum(["en", "es"]),
    /** `single`: one field; `follow_up`: a short message read with `previous`; `mixed`: two fields. */
    kind: z.enum(["single", "follow_up", "mixed"]),
    /** The specialist that should answer (for `mixed`, one of the two). */
    label: z.string(),
    /** `mixed`: the other field's specialist (either may answer; the other must be consultable). */
    also: z.string().optional(),
    text: z.string(),
    previous: z.string().optional(),
  })
  .strict();

export type RoutingCase = z.infer<typeof routingCaseSchema> & { category: string };

/** Written by the project apart from the router's examples (core/specialists/intent-examples.jsonl). */
export function loadRoutingCases(): RoutingCase[] {
  return loadJsonlCases(new URL("./cases.jsonl", import.meta.url), routingCaseSchema).map((item) => ({
    ...item,
    category: item.label,
  }));
}

let router: SpecialistRouter | undefined;

/** Whether the router's choice is right for the case: for a mixed message, one field and the other consultable. */
export function routedRight(
  testCase: RoutingCase,
  choice: { specialist: string; consultable: readonly string[] },
): boolean {
  if (testCase.kind !== "mixed") return choice.specialist === testCase.label;
  const pair = [testCase.label, testCase.also];
  const other = pair.find((name) => name !== choice.specialist);
  return pair.includes(choice.specialist) && other !== undefined && choice.consultable.includes(other);
}

type Groups = { suffix: string; label: string; includes: (result: { tags: Record<string, string> }) => boolean };
const groups: Groups[] = [
  { suffix: "", label: "", includes: () => true },
  { suffix: ".en", label: " (en)", includes: (result) => result.tags.language === "en" },
  { suffix: ".es", label: " (es)", includes: (result) => result.tags.language === "es" },
  { suffix: ".single", label: " (one field)", includes: (result) => result.tags.kind === "single" },
  { suffix: ".follow_up", label: " (follow-ups)", includes: (result) => result.tags.kind === "follow_up" },
  { suffix: ".mixed", label: " (two fields)", includes: (result) => result.tags.kind === "mixed" },
];

/**
 * The specialist router alone (no chat model): each message is routed on the local embedder and
 * compared with the specialist it was written for. `accuracy_without_router` is the same agent
 * without specialists (every message to the general one), the baseline the router must beat.
 */
export const routingSuite: EvalSuite<RoutingCase> = {
  name: "routing",
  description:
    "Specialist routing on the local embedder (travel, finance, tech, general), English and Spanish: one field, follow-ups, two fields.",
  defaultConcurrency: 1,
  async loadCases(context) {
    const cases = loadRoutingCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase) {
    router ??= new SpecialistRouter({ embedder: new LocalMiniLmEmbedder() });
    const started = performance.now();
    const choice = await router.route(testCase.text, { previousUserText: testCase.previous });
    const routed = { specialist: choice.specialist.name, consultable: choice.consultable.map((other) => other.name) };
    const right = routedRight(testCase, routed);
    const consults = routed.consultable.length > 0 ? ` (may consult ${routed.consultable.join(", ")})` : "";
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.previous ? `${testCase.previous} → ${testCase.text}` : testCase.text,
      output: `${routed.specialist}${consults}`,
      expected: testCase.also ? `${testCase.label} or ${testCase.also}, the other consultable` : testCase.label,
      scores: {
        correct: verdict(right, `share ${choice.share.toFixed(2)}${choice.followUp ? ", read as a follow-up" : ""}`),
        without_router: verdict(testCase.kind !== "mixed" && testCase.label === generalSpecialist, "general"),
      },
      tags: { language: testCase.language, kind: testCase.kind, routed: routed.specialist },
      values: { share: choice.share },
      ...modelFreeOutcome(started),
    };
  },
  metrics: [
    ...groups.flatMap(({ suffix, label, includes }) => [
      {
        name: `accuracy${suffix}`,
        description: `Messages given to the specialist they were written for${label}.`,
        higherIsBetter: true,
        unit: "ratio" as const,
        of: (result: { scores: Record<string, { pass: boolean }>; tags: Record<string, string> }) =>
          includes(result) ? Number(result.scores.correct!.pass) : undefined,
      },
      {
        name: `accuracy_without_router${suffix}`,
        description: `The same, with every message given to the general agent (no specialists)${label}.`,
        higherIsBetter: true,
        unit: "ratio" as const,
        gate: false,
        of: (result: { scores: Record<string, { pass: boolean }>; tags: Record<string, string> }) =>
          includes(result) ? Number(result.scores.without_router!.pass) : undefined,
      },
    ]),
  ],
};
