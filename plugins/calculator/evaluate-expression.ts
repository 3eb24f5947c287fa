import { all, create, type MathJsInstance } from "mathjs";

/**
 * A locked-down mathjs: arithmetic, functions and units only. Functions that could define code,
 * import or re-enter the parser are replaced by ones that throw.
 */
if (!all) throw new Error("mathjs did not export its function factories.");
const math: MathJsInstance = create(all, { number: "number", precision: 64 });
const evaluateExpression = math.evaluate.bind(math);
const refuse = (name: string) => () => {
  throw new Error(`Function ${name} is disabled.`);
};
math.import(
  Object.fromEntries(
    [
      "import",
      "createUnit",
      "evaluate",
      "parse",
      "compile",
      "simplify",
      "derivative",
      "resolve",
      "reviver",
      "replacer",
    ].map((name) => [name, refuse(name)]),
  ),
  { override: true },
);

export const maxExpressionLength = 500;

/**
 * Rewrites what people type into what mathjs reads: `3,480` → `3480`, `3,5` → `3.5`, `12.5% of 3480` →
 * `(12.5 / 100) * 3480`.
 */
export function normalizeExpression(expression: string): string {
  let text = expression
    .trim()
    .replace(/[×✕]/g, "*")
    .replace(/[÷]/g, "/")
    .replace(/[−–]/g, "-")
    .replace(/(\d)\s*x\s*(\d)/gi, "$1 * $2")
    .replace(/[$€£¥]/g, "")
    .replace(/\b(?:what is|what's|calculate|compute)\b/gi, "")
    .replace(/[?=]+\s*$/, "");
  // Thousands separators: a comma followed by exactly three digits, inside a number.
  while (/\d,\d{3}(?!\d)/.test(text)) text = text.replace(/(\d),(\d{3})(?!\d)/, "$1$2");
  // Any other comma between digits is a decimal comma ("3,5" in Spanish), unless the expression calls a
  // function, whose arguments commas separate ("max(3,5)").
  if (!/[a-z_]\s*\(/i.test(text)) text = text.replace(/(\d),(\d)/g, "$1.$2");
  // "12.5% of 3480" and "12.5 percent of 3480"
  text = text.replace(/(\d+(?:\.\d+)?)\s*(?:%|percent)\s+of\s+/gi, "($1 / 100) * ");
  text = text.replace(/(\d+(?:\.\d+)?)\s*percent\b/gi, "$1%");
  return text.trim();
}

export type CalculationResult = { expression: string; result: number | string };

/** Evaluates an arithmetic expression without `eval`: mathjs parses it into a tree and walks it. */
export function calculate(expression: string): CalculationResult {
  if (expression.length > maxExpressionLength) {
    throw new Error(`The expression is longer than ${maxExpressionLength} characters.`);
  }
  const normalized = normalizeExpression(expression);
  if (normalized.length === 0) throw new Error("The expression is empty.");
  let value: unknown;
  try {
    value = evaluateExpression(normalized);
  } catch (error) {
    throw new Error(`Cannot evaluate "${expression}": ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`"${expression}" has no finite value (division by zero?).`);
    return { expression: normalized, result: Number.parseFloat(value.toPrecision(12)) };
  }
  if (typeof value === "boolean") return { expression: normalized, result: String(value) };
  if (value && typeof value === "object" && "toString" in value && !isFunction(value)) {
    return { expression: normalized, result: math.format(value, { precision: 12 }) };
  }
  throw new Error(`"${expression}" is not an arithmetic expression.`);
}

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}
