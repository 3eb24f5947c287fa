import type { ScoreResult } from "../scorers/types.ts";

/** One function call as a model made it. */
export interface ModelCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** BFCL ground truth: per call, function name → parameter → accepted values ("" = may be omitted). */
export type GroundTruthCall = Record<string, Record<string, unknown[]>>;

export interface FunctionSpec {
  name: string;
  parameters: { properties?: Record<string, { type?: unknown }>; required?: string[] };
}

type Check = { ok: true } | { ok: false; reason: string };
const ok: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });

/**
 * BFCL's AST match (../shared/datasets/README.md): right function names, every required parameter
 * present, every given value among the accepted ones (numbers by value, strings after BFCL's own
 * standardization, see `standardizeString`, lists element-wise, nested dicts key by key), no unknown
 * parameters; parallel calls match as a set in any order. Irrelevance cases (no ground truth) pass
 * when no function is called.
 */
export function matchCalls(
  calls: readonly ModelCall[],
  groundTruth: readonly GroundTruthCall[],
  functions: readonly FunctionSpec[],
): ScoreResult {
  if (groundTruth.length === 0) {
    return calls.length === 0
      ? { score: 1, pass: true, reason: "no function called, as expected" }
      : { score: 0, pass: false, reason: `expected no call, got ${calls.map((call) => call.name).join(", ")}` };
  }
  if (calls.length !== groundTruth.length) {
    return {
      score: 0,
      pass: false,
      reason: `expected ${groundTruth.length} call(s), got ${calls.length}${calls.length ? `: ${calls.map((call) => call.name).join(", ")}` : ""}`,
    };
  }
  // Try every assignment of model calls to expected calls (backtracking; lists are short).
  const reasons: string[] = [];
  const used = new Set<number>();
  const assign = (expectedIndex: number): boolean => {
    if (expectedIndex === groundTruth.length) return true;
    for (let callIndex = 0; callIndex < calls.length; callIndex++) {
      if (used.has(callIndex)) continue;
      const check = matchCall(calls[callIndex]!, groundTruth[expectedIndex]!, functions);
      if (!check.ok) {
        if (groundTruth.length === 1) reasons.push(check.reason);
        continue;
      }
      used.add(callIndex);
      if (assign(expectedIndex + 1)) return true;
      used.delete(callIndex);
    }
    return false;
  };
  if (assign(0)) return { score: 1, pass: true, reason: "calls match the ground truth" };
  return { score: 0, pass: false, reason: reasons[0] ?? "no one-to-one match between the calls and the ground truth" };
}

function matchCall(call: ModelCall, expected: GroundTruthCall, functions: readonly FunctionSpec[]): Check {
  const [expectedName, acceptedByParameter] = Object.entries(expected)[0] ?? [];
  if (!expectedName || !acceptedByParameter) return fail("empty ground truth entry");
  if (call.name !== expectedName) return fail(`called ${call.name}, expected ${expectedName}`);
  const spec = functions.find((candidate) => candidate.name === expectedName);
  const properties = spec?.parameters.properties ?? {};
  const required = spec?.parameters.required ?? [];

  for (const name of Object.keys(call.arguments)) {
    if (!(name in acceptedByParameter) && !(name in properties)) return fail(`unknown parameter "${name}"`);
    if (!(name in acceptedByParameter)) return fail(`unexpected parameter "${name}"`);
  }
  for (const name of required) {
    if (!(name in call.arguments)) return fail(`missing required parameter "${name}"`);
  }
  for (const [name, accepted] of Object.entries(acceptedByParameter)) {
    if (!(name in call.arguments)) {
      if (accepted.includes("")) continue;
      return fail(`missing parameter "${name}"`);
    }
    const check = valueAccepted(call.arguments[name], accepted, typeOf(properties[name]?.type));
    if (!check.ok) return fail(`parameter "${name}": ${check.reason}`);
  }
  return ok;
}

function typeOf(type: unknown): string | undefined {
  return typeof type === "string" ? type : undefined;
}

function valueAccepted(given: unknown, accepted: readonly unknown[], declaredType: string | undefined): Check {
  if (declaredType && !typeAllowed(given, declaredType)) {
    return fail(`${JSON.stringify(given)} is not of type ${declaredType}`);
  }
  for (const candidate of accepted) {
    if (candidate === "") continue;
    if (valuesEqual(given, candidate)) return ok;
  }
  return fail(
    `${JSON.stringify(given)} is not among ${JSON.stringify(accepted.filter((candidate) => candidate !== ""))}`,
  );
}

/** BFCL type rules: an integer is accepted where a float is declared; nothing else is coerced. */
function typeAllowed(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "float":
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "array":
    case "tuple":
      return Array.isArray(value);
    case "dict":
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

function valuesEqual(given: unknown, expected: unknown): boolean {
  if (typeof expected === "number") return typeof given === "number" && given === expected;
  if (typeof expected === "string")
    return typeof given === "string" && standardizeString(given) === standardizeString(expected);
  if (typeof expected === "boolean" || expected === null) return given === expected;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(given) &&
      given.length === expected.length &&
      given.every((item, index) => valuesEqual(item, expected[index]))
    );
  }
  if (typeof expected === "object") {
    if (typeof given !== "object" || given === null || Array.isArray(given)) return false;
    const expectedObject = expected as Record<string, unknown>;
    const givenObject = given as Record<string, unknown>;
    for (const key of Object.keys(givenObject)) if (!(key in expectedObject)) return false;
    for (const [key, acceptedValue] of Object.entries(expectedObject)) {
      // Nested ground truth lists accepted values per key; a plain value must match itself.
      const accepted = Array.isArray(acceptedValue) ? acceptedValue : [acceptedValue];
      if (!(key in givenObject)) {
        if (accepted.includes("")) continue;
        return false;
      }
      if (!accepted.some((candidate) => candidate !== "" && valuesEqual(givenObject[key], candidate))) return false;
    }
    return true;
  }
  return false;
}

/**
 * BFCL's string standardization (its AST checker's `standardize_string`): white space and the marks
 * `, . / - _ * ^` removed, lower case, single quotes read as double. So "April 1, 2024" is "april 1
 * 2024", "plasma_membrane" is "plasma membrane" and "x^2" is "x**2"; "New York" is still not
 * "New York, NY".
 */
export function standardizeString(text: string): string {
  return text
    .replace(/[\s,./\-_*^]/g, "")
    .toLowerCase()
    .replaceAll("'", '"');
}
