/**
 * Rates written as percentages, passed as fractions: "an annual interest rate of 5%" is `0.05` to a
 * number parameter, as finance functions and spreadsheets take rates, unless the parameter says it
 * wants a percentage ("the yield as a percentage"). Small models copy the 5. Only top-level numbers
 * that equal a percentage the request writes (`5%`, `5 %`, `5 percent`, `5 por ciento`) change, and
 * never an integer parameter, a parameter named for a percentage, or a number the request also writes
 * without the percent sign.
 */
export function percentagesAsFractions(
  args: Record<string, unknown>,
  schema: { properties?: Record<string, unknown> } | undefined,
  requestText: string,
): Record<string, unknown> {
  const percentages = percentagesIn(requestText);
  if (percentages.size === 0) return args;
  // A number the request also writes without % ("a 5% tip on a $5 bill") may be that other amount.
  const plain = plainNumbersIn(requestText);
  return Object.fromEntries(
    Object.entries(args).map(([name, value]) => {
      if (typeof value !== "number" || !percentages.has(value) || plain.has(value)) return [name, value];
      if (/percent|pct/i.test(name)) return [name, value];
      const property = schema?.properties?.[name];
      return takesFraction(property) ? [name, Number((value / 100).toPrecision(12))] : [name, value];
    }),
  );
}

function percentagesIn(text: string): Set<number> {
  const found = text.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:%|percent\b|per cent\b|por ciento\b)/giu);
  return new Set([...found].map((match) => Number(match[1]!.replace(",", "."))).filter(Number.isFinite));
}

function plainNumbersIn(text: string): Set<number> {
  const found = text.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)(?![\d.,]*\s*(?:%|percent\b|per cent\b|por ciento\b))/giu);
  return new Set([...found].map((match) => Number(match[1]!.replace(",", "."))).filter(Number.isFinite));
}

/** A number parameter (not an integer one) whose description does not ask for a percentage. */
function takesFraction(property: unknown): boolean {
  if (typeof property !== "object" || property === null) return false;
  const { type, description } = property as { type?: unknown; description?: unknown };
  if (type === "integer" || (type !== undefined && type !== "number" && type !== "float")) return false;
  const text = typeof description === "string" ? description : "";
  if (/decimal|fraction/i.test(text)) return true;
  return !/percent|porcentaje|%/i.test(text);
}
