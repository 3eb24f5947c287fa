import { type ReconcileContext, spokenNumbers } from "realtime-agent";

const arithmeticRun = /[\d\s.,+\-*/×÷^()]+/gu;
const pureArithmetic = /^[\d\s.,+\-*/×÷^()]+$/u;
const operatorBetween = /[\d)]\s*[+\-*/×÷^]\s*[\d(]/u;

/**
 * A calculator call squared with what the user wrote. The 0.5B model drops parentheses ("(150 - 30)
 * / 4 + 7" becomes `150 - 30 / 4 + 7`), stops halfway (`150 - 30`), and for "la raíz cuadrada de 841"
 * writes `841`. An expression of plain arithmetic whose numbers and operators are, in order, those of
 * an expression the user wrote (or a run of them) becomes the user's expression; a bare number the
 * user asked the square or cube root, square or cube of gets that operation. A calculation nobody
 * asked for is dropped: in a conversation that writes no number and asks for no quantity, an expression
 * of numbers other than the usual units' (24, 60, 7, 365…) — "Explain what a prime number is" got
 * `2 + 3`, while "How many seconds are in a day?" keeps `24 * 60 * 60`. Anything else stays.
 */
export function reconcileExpression(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  const expression = args.expression;
  if (typeof expression !== "string") return args;
  if (unasked(expression, context)) return null;
  if (!pureArithmetic.test(expression)) return args;
  const written = writtenExpressions(context.userText);
  const modelTokens = tokensOf(expression);
  // A run of at least one operation: a bare number is in too many expressions to choose one.
  const containing = written.filter((span) => modelTokens.length >= 3 && containsRun(tokensOf(span), modelTokens));
  if (containing.length === 1 && containing[0] !== expression.trim()) return { ...args, expression: containing[0] };
  if (modelTokens.length === 1) {
    const operated = spokenOperation(context.userText, modelTokens[0]!);
    if (operated) return { ...args, expression: operated };
  }
  return args;
}

/** Numbers a calculation may bring without the user writing them: units of time, percent, thousands. */
const implicitNumbers = new Set(["7", "10", "12", "24", "30", "31", "52", "60", "100", "365", "1000", "3600"]);
/** Words that ask for a quantity or a calculation. */
const asksForQuantity =
  /\b(?:how (?:many|much|long|far)|cu[aá]nt[oa]s?|calculat\w*|calcul\w*|comput\w*|convert\w*|squared|cubed|al cuadrado|al cubo|total|average|promedio|media)\b/iu;

/** A calculation in a conversation with no number and no quantity asked for, of numbers nobody wrote. */
function unasked(expression: string, context: ReconcileContext): boolean {
  const conversation = `${context.previousUserText ?? ""} ${context.userText}`;
  if (writesANumber(conversation) || asksForQuantity.test(conversation)) return false;
  const numbers = expression.match(/\d+(?:\.\d+)?/gu) ?? [];
  return numbers.length > 0 && numbers.some((number) => !implicitNumbers.has(number));
}

/** Whether a text writes a number, in digits or in words ("three", "diez", "a dozen"). */
function writesANumber(text: string): boolean {
  return /\d/u.test(text) || spokenNumbers(text, "es").length > 0 || spokenNumbers(text, "en").length > 0;
}

/** The arithmetic expressions a text writes with symbols ("(150 - 30) / 4 + 7"), × and ÷ as * and /. */
export function writtenExpressions(text: string): string[] {
  return (
    (text.match(arithmeticRun) ?? [])
      // "2020 and 2024, (3+4)*2": a comma before a space ends an expression; "1,234" and "3,5" stay whole.
      .flatMap((run) => run.split(/,\s/u))
      .map((run) => run.replace(/^[^\d(]+/u, "").replace(/[^\d)]+$/u, ""))
      .filter((span) => operatorBetween.test(span))
      .map((span) => span.replace(/×/gu, "*").replace(/÷/gu, "/").trim())
  );
}

/** Numbers and operators in order, without spaces and parentheses: `(150 - 30) / 4` → 150 - 30 / 4. */
function tokensOf(expression: string): string[] {
  return (
    expression
      .replace(/×/gu, "*")
      .replace(/÷/gu, "/")
      .match(/\d+(?:[.,]\d+)*|[+\-*/^]/gu) ?? []
  ).map((token) => token.replace(/,(?=\d{3}\b)/gu, ""));
}

function containsRun(tokens: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0 || run.length > tokens.length) return false;
  for (let start = 0; start + run.length <= tokens.length; start++) {
    if (run.every((token, index) => tokens[start + index] === token)) return true;
  }
  return false;
}

const number = String.raw`(\d+(?:[.,]\d+)*)`;
const spokenOperations: [RegExp, (value: string) => string][] = [
  [
    new RegExp(
      String.raw`(?:square root|ra[ií]z cuadrada)\s+(?:of|de)\s+(?:the number\s+|el n[uú]mero\s+)?${number}`,
      "iu",
    ),
    (value) => `sqrt(${value})`,
  ],
  [
    new RegExp(
      String.raw`(?:cube root|ra[ií]z c[uú]bica)\s+(?:of|de)\s+(?:the number\s+|el n[uú]mero\s+)?${number}`,
      "iu",
    ),
    (value) => `cbrt(${value})`,
  ],
  // A number before its keyword starts where no digit or mark stands before it: a long run of digits
  // is then tried once, not from each of its digits.
  [new RegExp(String.raw`(?<![\d.,])${number}\s+(?:squared|al cuadrado)`, "iu"), (value) => `${value}^2`],
  [new RegExp(String.raw`(?<![\d.,])${number}\s+(?:cubed|al cubo)`, "iu"), (value) => `${value}^3`],
];

/** "la raíz cuadrada de 841" with the model's bare `841` → `sqrt(841)`. */
function spokenOperation(text: string, value: string): string | undefined {
  for (const [pattern, operate] of spokenOperations) {
    const match = pattern.exec(text);
    if (match && tokensOf(match[1]!)[0] === value) return operate(match[1]!);
  }
  return undefined;
}
