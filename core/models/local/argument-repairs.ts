import { scaledNumbers } from "../../language/number-words.ts";
import { groundedValues } from "./grounded-values.ts";

type Schema = { properties?: Record<string, unknown>; required?: readonly string[] } | undefined;
type Args = Record<string, unknown>;

/**
 * A small model's call with the mistakes it makes most often on values the request spells out put
 * right (measured on BFCL simple, whose failures these were): a whole enum list copied into an array
 * ("annual plants" → every plant type), "8.5 million" written 850000000, "112.07 W" without its minus
 * sign, one argument repeated inside another ("La Liga 2020-2021" beside season "2020-2021"). Each
 * repair changes a value only when the request shows what it should be.
 */
export function repairedArguments(args: Args, schema: Schema, requestText: string): Args {
  let repaired = withGroundedListItems(args, schema, requestText);
  repaired = withScaleFromRequest(repaired, requestText);
  repaired = withCompassSigns(repaired, requestText);
  return withoutOtherArgumentValues(repaired);
}

/**
 * An array of strings without the items the request never names, when it names others: the 0.5B
 * model copies an enum's every value ("amenities": Patio, Wi-Fi, Happy Hour… for "a sushi place with
 * a patio"), or adds one of its own to a list ("pasta with cheese" → Pasta, Cheese, Tomato). An enum
 * list is repaired only when it holds all of the enum's values or all but one (a copied list); a free
 * list needs two named items before an unnamed one goes (codes such as currency codes are seldom
 * written as such). An item counts as named when any of its words is ("toll roads" names "tolls").
 */
export function withGroundedListItems(args: Args, schema: Schema, requestText: string): Args {
  const requestWords = wordsOf(requestText).map(stem);
  const named = (item: string) => wordsOf(item).some((word) => isWritten(stem(word), requestWords));
  return mapEntries(args, (name, value) => {
    if (!Array.isArray(value) || value.length < 2 || !value.every((item) => typeof item === "string")) return value;
    const kept = value.filter(named);
    const enumValues = itemsOf(schema?.properties?.[name])?.enum;
    const enough = Array.isArray(enumValues)
      ? kept.length >= 1 && value.length >= Math.max(2, enumValues.length - 1)
      : kept.length >= 2;
    return enough && kept.length < value.length ? kept : value;
  });
}

/** A word of an item is written in the request: whole when short, by its first five letters when long. */
function isWritten(word: string, requestWords: readonly string[]): boolean {
  if (word.length < 3) return requestWords.includes(word);
  if (word.length < 5) return requestWords.some((candidate) => candidate === word);
  return requestWords.some((candidate) => candidate.startsWith(word.slice(0, 5)));
}

/** A word without a plural ending ("tolls" → "toll", "fruits" → "fruit"; Spanish "-es" too). */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("es") && !/[aeiou]es$/.test(word.slice(-3))) return word.slice(0, -2);
  return word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word;
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A number the request writes with a scale word, put back at its scale: "8.5 million square
 * kilometers" came out as 850000000. Only a number the request does not write, with the same digits
 * as exactly one scaled number of the request, changes.
 */
export function withScaleFromRequest(args: Args, requestText: string): Args {
  const scaled = scaledNumbers(requestText);
  if (scaled.length === 0) return args;
  const repair = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(repair);
    if (typeof value !== "number" || value === 0) return value;
    if (groundedValues({ arguments: { value } }, requestText).size > 0) return value;
    const alike = [...new Set(scaled.filter((candidate) => significantDigits(candidate) === significantDigits(value)))];
    return alike.length === 1 ? alike[0] : value;
  };
  return mapEntries(args, (_, value) => repair(value));
}

/**
 * Coordinates written with a compass letter ("112.0740 W", "33.9° S") as signed numbers: west and south
 * are negative. Only a positive number the request writes once, followed by W or S, changes.
 */
export function withCompassSigns(args: Args, requestText: string): Args {
  const negative = new Set<number>();
  for (const match of requestText.matchAll(/(?<![\d.-])(\d+(?:\.\d+)?)\s*°?\s*(W|S|west|south|oeste|sur)\b/giu)) {
    negative.add(Number(match[1]));
  }
  if (negative.size === 0) return args;
  const repair = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(repair);
    return typeof value === "number" && value > 0 && negative.has(value) ? -value : value;
  };
  return mapEntries(args, (_, value) => repair(value));
}

/**
 * A string argument without another argument's value at its start or end: the 0.5B model writes
 * `tournament: "La Liga 2020-2021"` beside `season: "2020-2021"`, `league: "2021 La Liga"` beside
 * `season: "2021"`. What is left must still have a letter in it.
 */
export function withoutOtherArgumentValues(args: Args): Args {
  const others = Object.entries(args).flatMap(([name, value]) =>
    typeof value === "string" || typeof value === "number" ? [{ name, text: String(value).trim() }] : [],
  );
  return mapEntries(args, (name, value) => {
    if (typeof value !== "string") return value;
    let result = value.trim();
    for (const other of others) {
      if (other.name === name || other.text.length < 2 || other.text.length >= result.length) continue;
      const escaped = other.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const stripped = result
        .replace(new RegExp(`^${escaped}(?=[\\s,;-])[\\s,;-]*`, "u"), "")
        .replace(new RegExp(`[\\s,;-]*(?<=[\\s,;-])${escaped}$`, "u"), "")
        .trim();
      if (stripped !== result && /\p{L}/u.test(stripped)) result = stripped;
    }
    return result === value.trim() ? value : result;
  });
}

function significantDigits(value: number): string {
  return String(Math.abs(value)).replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
}

function itemsOf(property: unknown): { enum?: unknown } | undefined {
  if (typeof property !== "object" || property === null) return undefined;
  const items = (property as { items?: unknown }).items;
  return typeof items === "object" && items !== null ? (items as { enum?: unknown }) : undefined;
}

function mapEntries(args: Args, change: (name: string, value: unknown) => unknown): Args {
  let changed = false;
  const entries = Object.entries(args).map(([name, value]) => {
    const next = change(name, value);
    if (next !== value) changed = true;
    return [name, next] as const;
  });
  return changed ? Object.fromEntries(entries) : args;
}
