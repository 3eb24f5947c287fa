import type { ToolCallRequest } from "../../contracts/messages.ts";

/**
 * The argument values of a call that the request itself spells out: numbers written in it, and
 * strings it contains as whole words (case-insensitive: "EUR" is not in "96 euros"). A call's made-up
 * values (a default it filled in, a code it looked up) are not among them.
 */
export function groundedValues(call: Pick<ToolCallRequest, "arguments">, requestText: string): Set<string> {
  const text = requestText.toLowerCase();
  const numbers = new Set((text.match(/-?\d+(?:[.,]\d+)*/g) ?? []).flatMap(numberForms));
  const grounded = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "number") {
      if (numbers.has(String(value))) grounded.add(`#${value}`);
    } else if (typeof value === "string") {
      const lowered = value.trim().toLowerCase();
      if (lowered.length >= 2 && containsWords(text, lowered)) grounded.add(`"${lowered}`);
      for (const number of lowered.match(/-?\d+(?:[.,]\d+)*/g) ?? [])
        for (const form of numberForms(number)) if (numbers.has(form)) grounded.add(`#${form}`);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value && typeof value === "object") {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(call.arguments);
  return grounded;
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
 * value the request spells out that no earlier call used. "Weather in Tokyo and Paris" gives Paris
 * its own call; "12*7" followed by "12/7" brings nothing new, so the second call is dropped.
 */
export function bringsNewValue(
  call: Pick<ToolCallRequest, "arguments">,
  earlier: readonly Pick<ToolCallRequest, "arguments">[],
  requestText: string,
): boolean {
  const used = new Set(earlier.flatMap((previous) => [...groundedValues(previous, requestText)]));
  return [...groundedValues(call, requestText)].some((value) => !used.has(value));
}

/**
 * A call without the optional arguments whose values the request does not spell out: small models fill
 * optional parameters with values of their own (a count of 1, a unit, a default date) that the user
 * never asked for, where the tool's own default is the better answer. Required arguments stay.
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
      ([name, value]) => required.has(name) || groundedValues({ arguments: { value } }, requestText).size > 0,
    ),
  );
}
