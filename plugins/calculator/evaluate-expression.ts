import { all, create, type MathJsInstance } from "mathjs";

/**
 * A locked-down mathjs: arithmetic, functions and units only. Functions that could define code,
 * import, re-enter the parser or change settings for every later call (`config`) are replaced by ones
 * that throw, and expressions that define functions are refused before they run. What is left can
 * still ask for a lot of work (`zeros(1e5, 1e5)`, `combinations(1e9, 5e8)`): the tool runs in a worker
 * with a heap limit and a timeout (`worker` in index.ts), which stop it without touching the server.
 */
if (!all) throw new Error("mathjs did not export its function factories.");
const math: MathJsInstance = create(all, { number: "number", precision: 64 });
const parseExpression = math.parse.bind(math);
const refuse = (name: string) => () => {
  throw new Error(`Function ${name} is disabled.`);
};
math.import(
  Object.fromEntries(
    [
      "import",
      "config",
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

/** Languages that write 2.500 for two thousand five hundred (and 2,5 for two and a half). */
const dotThousandsLanguages = new Set(["es", "de", "it", "pt", "fr", "nl"]);

/**
 * Rewrites what people (and small models) type into what mathjs reads: `3,480` → `3480`, `3,5` → `3.5`,
 * `2.500` → `2500` when the user writes Spanish (or another language with dot thousands), `12.5% of 3480`
 * → `(12.5 / 100) * 3480`, `2**10` → `2^10`, `30°C * 9/5 + 32` → `30 * 9/5 + 32`, and of a worked
 * chain `60 * 0.7 = 42` only the expression before the first `=`.
 */
export function normalizeExpression(expression: string, language?: string): string {
  let text = expression
    .trim()
    .replace(/\*\*/g, "^")
    // A worked chain of plain arithmetic ("60 * 0.7 = 42 euros"): the expression before the first `=`.
    // (Assignments and function definitions, "x = 5" or "f(x) = x^2", are left for mathjs to refuse.)
    .replace(/^([\d\s.,+\-*/^()%]+?)\s*(?<![=<>!])=(?!=).*$/s, "$1")
    .replace(/[×✕]/g, "*")
    .replace(/[÷]/g, "/")
    .replace(/[−–]/g, "-")
    .replace(/(\d)\s*x\s*(\d)/gi, "$1 * $2")
    .replace(/[$€£¥]/g, "")
    .replace(/\b(?:what is|what's|calculate|compute)\b/gi, "")
    .replace(/[?=]+\s*$/, "");
  // Degrees: units in a conversion ("30 °C to °F"), plain numbers in arithmetic ("30°C * 9/5 + 32").
  const converts = /\b(?:to|in)\b/i.test(text);
  text = text.replace(/°\s*([CF])\b/g, (_, scale: string) => (converts ? ` deg${scale}` : ""));
  if (language && dotThousandsLanguages.has(language))
    text = text.replace(/\b\d{1,3}(?:\.\d{3})+(?![\d.,])/g, (number) => number.replaceAll(".", ""));
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
export function calculate(expression: string, language?: string): CalculationResult {
  if (expression.length > maxExpressionLength) {
    throw new Error(`The expression is longer than ${maxExpressionLength} characters.`);
  }
  const normalized = normalizeExpression(expression, language);
  if (normalized.length === 0) throw new Error("The expression is empty.");
  let value: unknown;
  try {
    const tree = parseExpression(normalized);
    if (tree.filter((node) => node.type === "FunctionAssignmentNode").length > 0)
      throw new Error("defining functions is not allowed");
    value = tree.evaluate();
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

/** The calculator as its worker runs it (core/tools/tool-worker.mjs): input and context are plain data. */
export function calculateInWorker(input: { expression: string }, context: { language?: string }): CalculationResult {
  return calculate(input.expression, context.language);
}

function isFunction(value: unknown): boolean {
  return typeof value === "function";
}
