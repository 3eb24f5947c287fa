import type { ModelCall } from "../../bfcl/ast-match.ts";
import type { ScoreResult } from "../../scorers/types.ts";
import type { ArgumentExpectation, ExpectedCall } from "./dataset.ts";

/** Evaluates a calculator expression the way the shipped calculator does; undefined when it cannot. */
export type EvaluateExpression = (expression: string) => Promise<number | undefined>;

/** Lower case, no accents, single spaces: "  Málaga " and "malaga" compare equal. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether one argument value meets its expectation; the reason when it does not. */
export async function checkArgument(
  actual: unknown,
  expected: ArgumentExpectation,
  evaluate: EvaluateExpression,
): Promise<string | undefined> {
  const shown = JSON.stringify(actual);
  if (typeof expected === "number") {
    return typeof actual === "number" && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected))
      ? undefined
      : `${shown} is not ${expected}`;
  }
  if (typeof expected === "string") {
    return typeof actual === "string" && normalizeText(actual) === normalizeText(expected)
      ? undefined
      : `${shown} is not "${expected}"`;
  }
  if ("evaluatesTo" in expected) {
    const value = typeof actual === "string" ? await evaluate(actual) : undefined;
    const tolerance = expected.tolerance ?? 1e-6 * Math.max(1, Math.abs(expected.evaluatesTo));
    return value !== undefined && Math.abs(value - expected.evaluatesTo) <= tolerance
      ? undefined
      : `${shown} evaluates to ${value ?? "nothing"}, expected ${expected.evaluatesTo}`;
  }
  if ("setOf" in expected) {
    if (!Array.isArray(actual) || !actual.every((item) => typeof item === "string")) return `${shown} is not a list`;
    const got = new Set(actual.map(normalizeText));
    const want = new Set(expected.setOf.map(normalizeText));
    return got.size === want.size && [...want].every((item) => got.has(item))
      ? undefined
      : `${shown} is not the set ${JSON.stringify(expected.setOf)}`;
  }
  if (typeof actual !== "string") return `${shown} is not text`;
  const text = normalizeText(actual);
  const phrases = "containsAll" in expected ? expected.containsAll : expected.containsAny;
  const found = phrases.filter((phrase) => text.includes(normalizeText(phrase)));
  const ok = "containsAll" in expected ? found.length === phrases.length : found.length > 0;
  return ok
    ? undefined
    : `${shown} ${"containsAll" in expected ? "does not contain all of" : "contains none of"} ${JSON.stringify(phrases)}`;
}

async function callMismatch(
  call: ModelCall,
  expected: ExpectedCall,
  evaluate: EvaluateExpression,
): Promise<string | undefined> {
  if (call.name !== expected.tool) return `called ${call.name}, expected ${expected.tool}`;
  for (const [name, expectation] of Object.entries(expected.arguments)) {
    if (!(name in call.arguments)) return `${call.name}: missing ${name}`;
    const problem = await checkArgument(call.arguments[name], expectation, evaluate);
    if (problem) return `${call.name}.${name}: ${problem}`;
  }
  return undefined;
}

/** Tool choice: the set of tools called equals the set expected (no call at all when none is). */
export function scoreToolChoice(calls: readonly ModelCall[], expected: readonly ExpectedCall[]): ScoreResult {
  const called = [...new Set(calls.map((call) => call.name))].sort();
  const wanted = [...new Set(expected.map((call) => call.tool))].sort();
  const pass = called.length === wanted.length && called.every((name, index) => name === wanted[index]);
  return {
    score: pass ? 1 : 0,
    pass,
    reason: pass
      ? `called ${called.join(", ") || "no tool"}, as expected`
      : `called ${called.join(", ") || "no tool"}, expected ${wanted.join(", ") || "no tool"}`,
  };
}

/**
 * Arguments: every expected call is matched, one to one, by a call to that tool whose arguments meet
 * the expectations; extra calls do not fail it (tool choice counts those). Only for cases that expect calls.
 */
export async function scoreArguments(
  calls: readonly ModelCall[],
  expected: readonly ExpectedCall[],
  evaluate: EvaluateExpression,
): Promise<ScoreResult> {
  const used = new Set<number>();
  for (const wanted of expected) {
    let reason = `no ${wanted.tool} call`;
    let matched = false;
    for (const [index, call] of calls.entries()) {
      if (used.has(index) || call.name !== wanted.tool) continue;
      const mismatch = await callMismatch(call, wanted, evaluate);
      if (mismatch === undefined) {
        used.add(index);
        matched = true;
        break;
      }
      reason = mismatch;
    }
    if (!matched) return { score: 0, pass: false, reason };
  }
  return { score: 1, pass: true, reason: "every expected call has the right arguments" };
}
