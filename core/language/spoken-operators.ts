const number = String.raw`\d+(?:[.,]\d+)*`;
const times = "(?:multiplicad[oa]s? por|por|x|×)";
const dividedBy = "(?:dividid[oa]s? (?:por|entre)|entre|÷)";

/** "17 por 23" (but not "el 3 por 100", a percentage) → "17 * 23". */
const product = new RegExp(String.raw`(?<!\bel )(${number}) ${times} (?!100\b)(${number})`, "giu");
const quotient = new RegExp(`(${number}) ${dividedBy} (${number})`, "giu");

/**
 * A request with its spoken operators between two numbers written as symbols, for the prompt from which
 * a small model writes a calculator expression: the 0.5B model reads Spanish "17 por 23" as `17 / 23`
 * ("per"), and copies "3 por 7" into the expression. Only operators with a number on each side change,
 * so "por favor", "10 por ciento" and "entre 2020 y 2024" stay as they are.
 */
export function withSymbolOperators(text: string): string {
  let result = text;
  // Twice: in "2 por 3 por 4" the second product starts where the first ended.
  for (let pass = 0; pass < 2; pass++) result = result.replace(product, "$1 * $2").replace(quotient, "$1 / $2");
  return result;
}
