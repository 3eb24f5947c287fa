import type { ToolCallRequest } from "../../contracts/messages.ts";
import { detectLanguage } from "../../language/detect-language.ts";
import { scaledNumbers, spokenNumbers } from "../../language/number-words.ts";

/**
 * The argument values of a call that the request itself spells out: numbers written in it (with every
 * reading of how they are written: "5.000" is 5 or 5000; "three" is 3, "8.5 million" 8500000), and strings it contains as whole words
 * (case-insensitive: "EUR" is not in "96 euros"). A call's made-up values (a default it filled in, a
 * code it looked up) are not among them. Keys: `#5|5000` for a number, `"tokyo` for a string.
 */
export function groundedValues(call: Pick<ToolCallRequest, "arguments">, requestText: string): Set<string> {
  return new Set(groundedItems(call, requestText).map(keyOf));
}

type GroundedItem = { kind: "number"; forms: Set<string> } | { kind: "text"; text: string };

function keyOf(item: GroundedItem): string {
  return item.kind === "number" ? `#${[...item.forms].sort().join("|")}` : `"${item.text}`;
}

function groundedItems(call: Pick<ToolCallRequest, "arguments">, requestText: string): GroundedItem[] {
  const text = requestText.toLowerCase();
  const numbers = requestNumbers(requestText);
  const items: GroundedItem[] = [];
  const addNumber = (forms: string[]) => {
    const grounded = forms.filter((form) => numbers.has(form));
    if (grounded.length) items.push({ kind: "number", forms: new Set(grounded) });
  };
  const visit = (value: unknown): void => {
    if (typeof value === "number") {
      addNumber([String(value)]);
    } else if (typeof value === "string") {
      const lowered = value.trim().toLowerCase();
      if (lowered.length >= 2 && containsWords(text, lowered)) items.push({ kind: "text", text: lowered });
      for (const number of lowered.match(/-?\d+(?:[.,]\d+)*/g) ?? []) addNumber(numberForms(number));
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === "object") {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(call.arguments);
  return items;
}

/** The last request's numbers: one call's checks read the same request dozens of times. */
let lastNumbers: { requestText: string; numbers: Set<string> } | undefined;

/** Every number the request writes, in every plain form it may take in a call. */
function requestNumbers(requestText: string): Set<string> {
  if (lastNumbers?.requestText !== requestText) lastNumbers = { requestText, numbers: readNumbers(requestText) };
  return lastNumbers.numbers;
}

function readNumbers(requestText: string): Set<string> {
  const text = requestText.toLowerCase();
  const written = (text.match(/-?\d+(?:[.,]\d+)*/g) ?? []).flatMap(numberForms);
  const language = detectLanguage(requestText)?.language === "es" ? "es" : "en";
  const inWords = [...spokenNumbers(requestText, language), ...scaledNumbers(requestText)].map(String);
  return new Set([...written, ...inWords]);
}

/** Two grounded values are the same one: a number read alike, or a string within the other. */
function overlaps(left: GroundedItem, right: GroundedItem): boolean {
  if (left.kind === "number" && right.kind === "number") return [...left.forms].some((form) => right.forms.has(form));
  if (left.kind === "text" && right.kind === "text")
    return containsWords(left.text, right.text) || containsWords(right.text, left.text);
  return false;
}

function containsWords(text: string, words: string): boolean {
  for (let index = text.indexOf(words); index >= 0; index = text.indexOf(words, index + 1)) {
    const before = text[index - 1];
    const after = text[index + words.length];
    if (
      (before === undefined || !/[\p{L}\p{N}]/u.test(before)) &&
      (after === undefined || !/[\p{L}\p{N}]/u.test(after))
    )
      return true;
  }
  return false;
}

/** A number as written ("1,500", "2.5", "-3") in the plain forms a call would carry it. */
function numberForms(written: string): string[] {
  // A thousands mark stands before groups of exactly three digits: "1,500" is 1500, "1,5" is not 15.
  const commaThousands = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(written) || !written.includes(",");
  const dotThousands = /^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(written) || !written.includes(".");
  const plain = commaThousands ? Number(written.replaceAll(",", "")) : Number.NaN;
  const decimalComma = dotThousands ? Number(written.replaceAll(".", "").replace(",", ".")) : Number.NaN;
  return [...new Set([plain, decimalComma].filter(Number.isFinite).map(String))];
}

/**
 * Whether a further call in the same response brings something of its own from the request: a
 * value the request spells out that no earlier call used (nor a string containing it). "Weather in
 * Tokyo and Paris" gives Paris its own call; "12*7" followed by "12/7" brings nothing new, and neither
 * does weather("Colombia") after web_search("población actual Colombia"): such calls are dropped.
 */
export function bringsNewValue(
  call: Pick<ToolCallRequest, "arguments">,
  earlier: readonly Pick<ToolCallRequest, "arguments">[],
  requestText: string,
): boolean {
  const used: GroundedItem[] = earlier.flatMap((previous) => [
    ...groundedItems(previous, requestText),
    // Every string an earlier call wrote, grounded or not: "Colombia" is in a query "población Colombia".
    ...stringsOf(previous.arguments).map((text): GroundedItem => ({ kind: "text", text: text.toLowerCase() })),
  ]);
  return groundedItems(call, requestText).some((item) => !used.some((before) => overlaps(item, before)));
}

// Linear on hostile input: a list starts where no digit or point stands before it, and each separator
// has one way to match ("1111…" or "1   x" of 64 KB took seconds with the first version).
const listItemSeparator = /,(?!\d{3}\b)\s*|(?:\s*,)?\s+(?:and|or|y|o|e|u)\s+/iu;
const numericList = new RegExp(
  `(?<![\\d.])\\d+(?:\\.\\d+)?(?:(?:${listItemSeparator.source})\\d+(?:\\.\\d+)?)+`,
  "giu",
);

/**
 * The lists of numbers a request writes ("for 15, 20 and 30 years", "the factorial of 5,10 and 15"),
 * each as its numbers' plain forms. Numbers joined by commas, "and", "or", "y", "o"; a comma before
 * exactly three digits is a thousands mark ("400,000"), not a list.
 */
export function numericLists(requestText: string): string[][] {
  // A list has ", " or a joining word: "2,5 %" is a decimal comma, not the list 2 and 5.
  const lists = (requestText.match(numericList) ?? []).filter((list) => /,\s|\s(?:and|or|y|o|e|u)\s/iu.test(list));
  return lists.map((list) => [...new Set(list.split(listItemSeparator).map((item) => String(Number(item))))]);
}

/**
 * Arithmetic arguments without a last step the model made up: asked "at 148 yen per dollar, how many
 * yen is 300 dollars?", the 0.5B model writes `300 * 148 / 1000` (or runs the zeros on). A pure
 * arithmetic string whose last operation multiplies or divides by a power of ten of 1000 or more that
 * the request does not write loses that operation when the rest combines at least two numbers and only
 * numbers the request writes. "5 km in metres" keeps `5 * 1000` (without it, it combines nothing);
 * "15% of 80" keeps `15 * 80 / 100` and an average keeps its `/ 3`.
 */
export function withoutInventedLastStep(args: Record<string, unknown>, requestText: string): Record<string, unknown> {
  const written = new Set((requestText.match(/\d+(?:[.,]\d+)*/g) ?? []).flatMap(numberForms));
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => {
      if (typeof value !== "string" || !/^[\d\s.,+\-*/()^%]+$/.test(value)) return [name, value];
      const last = /^(.*\S)\s*[*/]\s*(10*)\s*$/.exec(value);
      if (!last || last[2]!.length < 4 || written.has(String(Number(last[2])))) return [name, value];
      const rest = last[1]!;
      const restNumbers = (rest.match(/\d+(?:\.\d+)?/g) ?? []).map((item) => String(Number(item)));
      const combinesWritten = restNumbers.length >= 2 && restNumbers.every((item) => written.has(item));
      return [name, combinesWritten ? rest.trim() : value];
    }),
  );
}

/**
 * A call's number arguments with list items the model ran together taken apart: for "the factorial
 * of 5,10 and 15" the 0.5B model writes `510`, for "1,5 and 10 years" `15`. A number the request does
 * not write, whose digits are two neighbouring items of one of its lists, becomes the first of them
 * (the list's other items then get calls of their own, `callsForListedNumbers`).
 */
export function withListItemsApart(args: Record<string, unknown>, requestText: string): Record<string, unknown> {
  const lists = numericLists(requestText);
  if (lists.length === 0) return args;
  const written = new Set(
    groundedItems({ arguments: args }, requestText).flatMap((item) => (item.kind === "number" ? [...item.forms] : [])),
  );
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => {
      if (typeof value !== "number" || written.has(String(value))) return [name, value];
      for (const list of lists) {
        for (let index = 0; index + 1 < list.length; index++) {
          if (`${list[index]}${list[index + 1]}` === String(value)) return [name, Number(list[index])];
        }
      }
      return [name, value];
    }),
  );
}

/**
 * The further calls a call owes to a list of numbers in the request: when one of its number arguments
 * is an item of a list, and the call uses no other item of it, the same arguments with each item that
 * no call with the same other arguments has used ("a mortgage for 15, 20 and 30 years" → three calls;
 * "the Lakers and the Bulls in 2018 and 2020" → each team in each season). A call that uses two items
 * of a list ("sides 3 and 4, 5 and 12" → 3 and 4) takes pairs, not alternatives, and is left alone.
 * Numbers inside strings (a calculator's expression) never expand: "17 por 23 y 5 más 3" is no list.
 */
export function callsForListedNumbers(
  call: Pick<ToolCallRequest, "arguments">,
  earlier: readonly Pick<ToolCallRequest, "arguments">[],
  requestText: string,
): Record<string, unknown>[] {
  const callNumbers = new Set(numbersIn(call.arguments));
  for (const list of numericLists(requestText)) {
    if (list.filter((item) => callNumbers.has(item)).length !== 1) continue;
    for (const [name, value] of Object.entries(call.arguments)) {
      if (typeof value !== "number" || !list.includes(String(value))) continue;
      const others = JSON.stringify({ ...call.arguments, [name]: null });
      const used = new Set(
        [...earlier, call]
          .filter((made) => JSON.stringify({ ...made.arguments, [name]: null }) === others)
          .map((made) => String(made.arguments[name])),
      );
      const left = list.filter((item) => !used.has(item));
      if (left.length > 0) return left.map((item) => ({ ...call.arguments, [name]: Number(item) }));
    }
  }
  return [];
}

function numbersIn(value: unknown): string[] {
  if (typeof value === "number") return [String(value)];
  if (typeof value === "string") return (value.match(/\d+(?:\.\d+)?/g) ?? []).map((item) => String(Number(item)));
  if (Array.isArray(value)) return value.flatMap(numbersIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(numbersIn);
  return [];
}

function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsOf);
  return [];
}

/**
 * A call without the optional arguments whose values the request does not spell out: small models fill
 * optional parameters with values of their own (a count of 1, a unit, a default date) that the user
 * never asked for, where the tool's own default is the better answer. An optional number outside its
 * schema's bounds goes too: "the weather in Madrid and 50 euros in dollars" gave the weather 50 days
 * (at most 7), and the tool would have refused the whole call. Required arguments stay, and so do
 * optional ones the request names in other words (`mentionedInRequest`): a flag whose name it uses
 * ("with details" keeps `details: true`), a word it writes in another form ("in detail" keeps
 * `detail_level: "detailed"`).
 */
export function withoutInventedOptionals(
  args: Record<string, unknown>,
  schema: { properties?: Record<string, unknown>; required?: readonly string[] } | undefined,
  requestText: string,
): Record<string, unknown> {
  if (!schema?.properties) return args;
  const required = new Set(schema.required ?? []);
  return Object.fromEntries(
    Object.entries(args).filter(
      ([name, value]) =>
        required.has(name) ||
        ((groundedValues({ arguments: { value } }, requestText).size > 0 ||
          mentionedInRequest(name, value, requestText)) &&
          withinBounds(value, schema.properties?.[name])),
    ),
  );
}

/** Words of a parameter's name that say nothing of what it is about (`include_`, `show_`, `is_`…). */
const emptyNameWords = new Set([
  "include",
  "with",
  "show",
  "return",
  "get",
  "use",
  "enable",
  "is",
  "has",
  "flag",
  "only",
  "info",
  "information",
  "data",
  "type",
  "value",
  "option",
  "mode",
  "should",
  "want",
]);

/**
 * Whether the request names an optional argument in other words: a boolean whose parameter name has a
 * word the request writes ("including human impact" for `include_human_impact`, "toll roads avoided"
 * for `avoid_tolls`), or a string every word of which the request writes in some form ("plasma
 * membrane" for "plasma_membrane", "in detail" for "detailed"). Words compare by their first five
 * letters ("standardization" is "standardize"); words of three letters must be whole.
 */
export function mentionedInRequest(name: string, value: unknown, requestText: string): boolean {
  const requestWords = wordsOf(requestText);
  const written = (word: string) =>
    word.length <= 3
      ? requestWords.includes(word)
      : requestWords.some((candidate) => candidate.startsWith(word.slice(0, 5)));
  if (typeof value === "boolean") {
    return wordsOf(name)
      .filter((word) => word.length >= 4 && !emptyNameWords.has(word))
      .some(written);
  }
  if (typeof value === "string") {
    const words = wordsOf(value);
    return words.length > 0 && words.every((word) => word.length >= 3 && written(word));
  }
  return false;
}

/** Lower-case words of a text or an identifier (`include_humanImpact` → include, human, impact). */
function wordsOf(text: string): string[] {
  return text
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether a number keeps to its schema's `minimum`/`maximum` (exclusive ones too); anything else passes. */
function withinBounds(value: unknown, schema: unknown): boolean {
  if (typeof value !== "number" || typeof schema !== "object" || schema === null) return true;
  const bounds = schema as Record<string, unknown>;
  const bound = (key: string) => (typeof bounds[key] === "number" ? (bounds[key] as number) : undefined);
  const [minimum, maximum] = [bound("minimum"), bound("maximum")];
  const [above, below] = [bound("exclusiveMinimum"), bound("exclusiveMaximum")];
  return (
    (minimum === undefined || value >= minimum) &&
    (maximum === undefined || value <= maximum) &&
    (above === undefined || value > above) &&
    (below === undefined || value < below)
  );
}
