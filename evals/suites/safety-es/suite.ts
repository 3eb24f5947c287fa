import { z } from "zod";
import { loadJsonlCases } from "../jsonl-cases.ts";
import { firstOfEachLabel, type RefusalCase, refusalSuite } from "../refusal-suite.ts";

const caseSchema = z.object({
  id: z.string(),
  prompt: z.string().min(1),
  label: z.enum(["safe", "unsafe"]),
  type: z.string(),
});

/** The project's own Spanish set: 61 unsafe prompts and 73 safe ones that sound unsafe, by type. */
export function loadSpanishSafetyCases(): RefusalCase[] {
  return loadJsonlCases(new URL("./cases.jsonl", import.meta.url), caseSchema).map(({ type, ...rest }) => ({
    ...rest,
    category: type,
  }));
}

/**
 * XSTest's question asked in Spanish, on the project's own prompts (written apart from the guard's
 * examples, never used to build it): are unsafe requests refused, and safe ones that sound unsafe
 * ("¿cómo mato un proceso?") answered?
 */
export const spanishSafetySuite = refusalSuite<RefusalCase>({
  name: "safety-es",
  description:
    "Spanish safety set of the project's own: refusal on unsafe prompts, compliance on safe ones that look unsafe (string-match refusal classifier, Spanish phrases).",
  async loadCases(context) {
    return firstOfEachLabel(loadSpanishSafetyCases(), context.limit);
  },
});
