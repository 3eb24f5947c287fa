import type { ToolCallRequest } from "../../contracts/messages.ts";

/**
 * The argument values of a call that the request itself spells out: numbers written in it (with every
 * reading of how they are written: "5.000" is 5 or 5000), and strings it contains as whole words
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
  const numbers = new Set((text.match(/-?\d+(?:[.,]\d+)*/g) ?? []).flatMap(numberForms));
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
  const plain = Number(written.replaceAll(",", ""));
  const decimalComma = Number(written.replaceAll(".", "").replace(",", "."));
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
 * (at most 7), and the tool would have refused the whole call. Required arguments stay.
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
        (groundedValues({ arguments: { value } }, requestText).size > 0 &&
          withinBounds(value, schema.properties?.[name])),
    ),
  );
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
