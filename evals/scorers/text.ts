import { z } from "zod";
import { verdict, type ScoreResult } from "./types.ts";

const normalize = (text: string, caseSensitive: boolean) => {
  const folded = text.trim().replace(/\s+/g, " ");
  return caseSensitive ? folded : folded.toLowerCase();
};

export function exactMatch(output: string, expected: string, options: { caseSensitive?: boolean } = {}): ScoreResult {
  const pass =
    normalize(output, options.caseSensitive ?? false) === normalize(expected, options.caseSensitive ?? false);
  return verdict(pass, pass ? "exact match" : `expected ${JSON.stringify(expected)}`);
}

/** Passes when the output contains every expected fragment (case-insensitive unless asked). */
export function containsAll(
  output: string,
  fragments: readonly string[],
  options: { caseSensitive?: boolean } = {},
): ScoreResult {
  const haystack = normalize(output, options.caseSensitive ?? false);
  const missing = fragments.filter(
    (fragment) => !haystack.includes(normalize(fragment, options.caseSensitive ?? false)),
  );
  return {
    score: fragments.length === 0 ? 1 : (fragments.length - missing.length) / fragments.length,
    pass: missing.length === 0,
    reason:
      missing.length === 0
        ? "contains every expected fragment"
        : `missing ${missing.map((fragment) => JSON.stringify(fragment)).join(", ")}`,
  };
}

export function matchesRegex(output: string, pattern: string, flags = "i"): ScoreResult {
  const pass = new RegExp(pattern, flags).test(output);
  return verdict(pass, pass ? `matches /${pattern}/${flags}` : `does not match /${pattern}/${flags}`);
}

/** Numbers as people write them: 1,234.5 and 1 234,5 are not both handled; commas are thousands separators. */
export function extractNumbers(text: string): number[] {
  return [...text.matchAll(/-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?/g)].map((match) =>
    Number.parseFloat(match[0].replaceAll(",", "")),
  );
}

/**
 * The numbers in a text as English writes them ("1,250.5"), and also as Spanish does where English
 * cannot have meant it: "12,25" (12.25), "1.250,5", "1.250.000". A number both languages write
 * ("1,250", "1.250") is read as English only, so that a wrong answer does not pass by the other reading.
 * For finding an expected number; `extractNumbers` reads English only.
 */
export function numberReadings(text: string): number[] {
  const readings = new Set(extractNumbers(text));
  for (const [token] of text.matchAll(/-?\d+(?:[.,]\d+)+/g)) {
    const spanishOnly =
      /^-?\d+,(?:\d{1,2}|\d{4,})$/.test(token) ||
      /^-?\d{1,3}(?:\.\d{3})+,\d+$/.test(token) ||
      /^-?\d{1,3}(?:\.\d{3}){2,}$/.test(token);
    if (spanishOnly) readings.add(Number.parseFloat(token.replaceAll(".", "").replace(",", ".")));
  }
  return [...readings];
}

/**
 * Passes when some number in the output is within the tolerance (absolute, or relative to expected),
 * read as English or Spanish writes it.
 */
export function numericMatch(
  output: string,
  expected: number,
  options: { absolute?: number; relative?: number } = {},
): ScoreResult {
  const tolerance = Math.max(options.absolute ?? 0, Math.abs(expected) * (options.relative ?? 0.005));
  const numbers = numberReadings(output);
  const closest = numbers.reduce<number | undefined>(
    (best, value) => (best === undefined || Math.abs(value - expected) < Math.abs(best - expected) ? value : best),
    undefined,
  );
  const pass = closest !== undefined && Math.abs(closest - expected) <= tolerance;
  return verdict(
    pass,
    closest === undefined
      ? `no number in the output; expected ${expected}`
      : pass
        ? `found ${closest}, expected ${expected} ± ${tolerance}`
        : `closest number ${closest}, expected ${expected} ± ${tolerance}`,
  );
}

/** Passes when the output is JSON (optionally inside a ``` block) that matches the JSON Schema. */
export function matchesJsonSchema(output: string, schema: Record<string, unknown>): ScoreResult {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(output);
  let value: unknown;
  try {
    value = JSON.parse(fenced ? fenced[1]! : output);
  } catch {
    return verdict(false, "output is not JSON");
  }
  const parsed = z.fromJSONSchema(schema as never).safeParse(value);
  return parsed.success
    ? verdict(true, "valid against the schema")
    : verdict(
        false,
        parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
      );
}
