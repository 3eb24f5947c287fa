import { scaledNumbers } from "../../language/number-words.ts";
import { groundedValues } from "./grounded-values.ts";

type Schema = { properties?: Record<string, unknown>; required?: readonly string[] } | undefined;
type Args = Record<string, unknown>;

/**
 * A small model's call with the mistakes it makes most often on values the request spells out put
 * right (measured on BFCL simple, whose failures these were): a whole enum list copied into an array
 * ("annual plants" → every plant type), "8.5 million" written 850000000, "112.07 W" without its minus
 * sign, a year repeated inside another argument ("La Liga 2020-2021" beside season "2020-2021"). Each
 * repair changes a value only when the request shows what it should be.
 */
export function repairedArguments(args: Args, schema: Schema, requestText: string): Args {
  let repaired = withGroundedListItems(args, schema, requestText);
  repaired = withScaleFromRequest(repaired, requestText);
  repaired = withCompassSigns(repaired, requestText);
  return withoutOtherArgumentValues(repaired);
}

/**
 * An enum list without the values the request never names, when it names others: the 0.5B model
 * copies an enum's every value ("amenities": Patio, Wi-Fi, Happy Hour… for "a sushi place with a
 * patio"). Only a list that holds all of the enum's values or all but one (a copied list) is repaired,
 * and free lists never are: their items may be named in other words ("euros" for EUR, "NYC"). An item
 * counts as named when any of its words is ("toll roads" names "tolls").
 */
export function withGroundedListItems(args: Args, schema: Schema, requestText: string): Args {
  const requestWords = wordsOf(requestText).map(stem);
  const named = (item: string) => wordsOf(item).some((word) => isWritten(stem(word), requestWords));
  return mapEntries(args, (name, value) => {
    if (!Array.isArray(value) || value.length < 2 || !value.every((item) => typeof item === "string")) return value;
    const enumValues = itemsOf(schema?.properties?.[name])?.enum;
    if (!Array.isArray(enumValues) || value.length < Math.max(2, enumValues.length - 1)) return value;
    const kept = value.filter(named);
    return kept.length >= 1 && kept.length < value.length ? kept : value;
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
 * kilometers" came out as 850000000. Only a whole number of at least 1,000 that the request does not
 * write, off by a power of ten from exactly one scaled number of the request, changes (a rate of 0.15
 * beside "1.5 million" is left alone).
 */
export function withScaleFromRequest(args: Args, requestText: string): Args {
  const scaled = scaledNumbers(requestText);
  if (scaled.length === 0) return args;
  const repair = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(repair);
    if (typeof value !== "number" || !Number.isInteger(value) || Math.abs(value) < 1000) return value;
    if (groundedValues({ arguments: { value } }, requestText).size > 0) return value;
    const alike = [...new Set(scaled.filter((candidate) => offByPowerOfTen(value, candidate)))];
    return alike.length === 1 ? alike[0] : value;
  };
  return mapEntries(args, (_, value) => repair(value));
}

function offByPowerOfTen(value: number, candidate: number): boolean {
  if (candidate === 0 || value === candidate) return false;
  const exponent = Math.log10(Math.abs(value / candidate));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

/** Parameter names that hold coordinates. */
const coordinateName = /lat|lon|lng|coord|position|point|location/i;

/**
 * Coordinates written with a compass letter ("33.4484 N, 112.0740 W") as signed numbers: west and
 * south are negative. Only in a request that writes a coordinate pair (a number with N or S and one
 * with E or W, capital letters or a degree sign), only for a parameter named for coordinates, and only
 * for a positive number the request writes with W or S and never with N or E.
 */
export function withCompassSigns(args: Args, requestText: string): Args {
  const text = requestText.replace(/\s+/g, " ");
  const marked = [...text.matchAll(/(?<![\d.-])(\d+(?:\.\d+)?) ?(°)? ?([NSEW])\b/g)].map((match) => ({
    value: Number(match[1]),
    letter: match[3]!,
  }));
  const pair = marked.some((mark) => "NS".includes(mark.letter)) && marked.some((mark) => "EW".includes(mark.letter));
  if (!pair) return args;
  const negative = new Set(marked.filter((mark) => "WS".includes(mark.letter)).map((mark) => mark.value));
  for (const mark of marked) if ("NE".includes(mark.letter)) negative.delete(mark.value);
  if (negative.size === 0) return args;
  const repair = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(repair);
    return typeof value === "number" && value > 0 && negative.has(value) ? -value : value;
  };
  return mapEntries(args, (name, value) => (coordinateName.test(name) ? repair(value) : value));
}

/** A year or a season: "2021", "2020-2021", "2020/21". */
const yearLike = /^\d{4}(?:[-/]\d{2,4})?$/;

/**
 * A string argument without another argument's year or season at its start or end: the 0.5B model
 * writes `tournament: "La Liga 2020-2021"` beside `season: "2020-2021"`, `league: "2021 La Liga"`
 * beside `season: "2021"`. Only year-shaped values are taken out ("hotels in Paris" beside
 * `location: "Paris"` stays whole), and what is left must still have a letter in it.
 */
export function withoutOtherArgumentValues(args: Args): Args {
  const years = Object.entries(args).flatMap(([name, value]) => {
    const text = typeof value === "string" || typeof value === "number" ? String(value).trim() : "";
    return yearLike.test(text) ? [{ name, text }] : [];
  });
  if (years.length === 0) return args;
  return mapEntries(args, (name, value) => {
    if (typeof value !== "string") return value;
    let result = value.trim();
    for (const year of years) {
      if (year.name === name) continue;
      const words = result.split(/\s+/);
      if (words[0] === year.text) words.shift();
      else if (words.at(-1) === year.text) words.pop();
      const stripped = words.join(" ").trim();
      if (stripped !== result && /\p{L}/u.test(stripped)) result = stripped;
    }
    return result === value.trim() ? value : result;
  });
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
