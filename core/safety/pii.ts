import type { TurnRecord } from "../contracts/store.ts";

/** Kinds of personal data the redactor finds, each replaced by `[<KIND>]`. */
export type PiiKind = "CARD" | "IBAN" | "EMAIL" | "PHONE" | "SSN" | "DNI" | "NIE";

export interface PiiRedaction {
  text: string;
  /** How many of each kind were replaced (empty when none). */
  found: Partial<Record<PiiKind, number>>;
}

interface Detector {
  kind: PiiKind;
  pattern: RegExp;
  /** A check on the match (a checksum) that keeps look-alike numbers from being redacted. */
  valid?: (match: string) => boolean;
}

const digitsOf = (text: string) => text.replace(/\D/g, "");

/** Luhn's checksum, which every payment card number satisfies. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

/** ISO 13616: the IBAN moved four characters round, letters as numbers, is 1 modulo 97. */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/\s/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
  const rearranged = `${compact.slice(4)}${compact.slice(0, 4)}`;
  let remainder = 0;
  for (const character of rearranged) {
    const value = /\d/.test(character) ? character : String(character.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

/** A Spanish DNI (8 digits) or NIE (X, Y or Z and 7 digits) whose control letter matches. */
export function spanishIdValid(id: string): boolean {
  const compact = id.replace(/[\s-]/g, "").toUpperCase();
  const match = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(compact);
  if (!match) return false;
  const [, prefix, digits, letter] = match as unknown as [string, string, string, string];
  if (prefix ? digits.length !== 7 : digits.length !== 8) return false;
  const number = Number(`${prefix ? "XYZ".indexOf(prefix) : ""}${digits}`);
  return dniLetters[number % 23] === letter;
}

/** US Social Security numbers as written (AAA-GG-SSSS), without the ranges never issued. */
function ssnValid(ssn: string): boolean {
  const [area, group, serial] = ssn.split(/[-\s]/);
  return area !== "000" && area !== "666" && !area?.startsWith("9") && group !== "00" && serial !== "0000";
}

// Order matters: what is found first is replaced before the next detector looks (an IBAN's digits are
// not then read as a card or a phone).
const detectors: Detector[] = [
  { kind: "EMAIL", pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g },
  {
    kind: "IBAN",
    // Upper case, as IBANs are written: a lower-case word after one is not read as part of it.
    pattern: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g,
    valid: ibanValid,
  },
  { kind: "CARD", pattern: /\b\d(?:[ -]?\d){12,18}\b/g, valid: (match) => luhnValid(digitsOf(match)) },
  { kind: "SSN", pattern: /\b\d{3}-\d{2}-\d{4}\b/g, valid: ssnValid },
  { kind: "NIE", pattern: /\b[XYZ][- ]?\d{7}[- ]?[A-Z]\b/gi, valid: spanishIdValid },
  { kind: "DNI", pattern: /\b\d{8}[- ]?[A-Z]\b/gi, valid: spanishIdValid },
  {
    kind: "PHONE",
    // International (+34 612 345 678, +1 (555) 123-4567), US ((555) 123-4567, 555-123-4567) and Spanish
    // mobile and landline (612 345 678, 91 123 45 67): separators or a + make a number a phone number;
    // a bare run of digits (an amount, a year) is left alone unless it is a Spanish 9-digit number.
    pattern:
      /(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}|\(\d{3}\)\s?\d{3}[\s.-]\d{4}|\b\d{3}[.-]\d{3}[.-]\d{4}\b|\b[6789]\d{2}(?:[\s.]?\d{3}){2}\b|\b[89]\d(?:\s\d{3}\s\d{2}\s\d{2}|\s\d{2}\s\d{2}\s\d{3})\b)/g,
    valid: (match) => digitsOf(match).length >= 9 && digitsOf(match).length <= 15,
  },
];

/**
 * Replaces personal data in `text` with `[CARD]`, `[IBAN]`, `[EMAIL]`, `[PHONE]`, `[SSN]`, `[DNI]`,
 * `[NIE]`: what a store or a log keeps instead. Numbers are checked where a checksum exists (Luhn for
 * cards, mod-97 for IBANs, the control letter of DNI/NIE), so amounts, dates and ids that only look
 * alike stay.
 */
export function redactPii(text: string): PiiRedaction {
  const found: Partial<Record<PiiKind, number>> = {};
  let redacted = text;
  for (const detector of detectors) {
    redacted = redacted.replace(detector.pattern, (match) => {
      if (detector.valid && !detector.valid(match)) return match;
      found[detector.kind] = (found[detector.kind] ?? 0) + 1;
      return `[${detector.kind}]`;
    });
  }
  return { text: redacted, found };
}

/** Redacts every string inside a JSON-like value (tool call arguments and results). */
export function redactPiiDeep<T>(value: T): T {
  if (typeof value === "string") return redactPii(value).text as T;
  if (Array.isArray(value)) return value.map((item) => redactPiiDeep(item)) as T;
  // Plain objects only: a Date, an Error or a class instance is left as it is.
  const prototype = value && typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null)
    return Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, redactPiiDeep(item)])) as T;
  return value;
}

/** A turn as it may be stored: personal data in what was said, answered and passed to tools replaced. */
export function redactTurn(turn: TurnRecord): TurnRecord {
  return {
    ...turn,
    userText: redactPii(turn.userText).text,
    assistantText: redactPii(turn.assistantText).text,
    toolCalls: redactPiiDeep(turn.toolCalls),
  };
}
