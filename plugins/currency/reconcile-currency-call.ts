import type { ReconcileContext } from "realtime-agent";
import { currenciesMentioned } from "./currency-mentions.ts";
import { currencyNames, toCurrencyCode } from "./currency-names.ts";
import { coinsNamed } from "../market-price/crypto-assets.ts";

/** Words that ask for a rate or a conversion without naming the currency to convert to. */
const conversionCue =
  /(?<![\p{L}])(?:conver\p{L}*|exchange\p{L}*|rates?|cambi\p{L}*|cotiz\p{L}*|worth|vale|a cu[aá]nto)(?![\p{L}])/iu;

/**
 * A currency call squared with the currencies the user names (English and Spanish names, codes,
 * symbols). The 0.5B model copies the schema's example (`to: ["EUR", "MXN"]`), adds the dollar to
 * every target list, reads "650 dólares australianos" as USD, and converts the prices of calculator
 * questions ("a 60-euro shirt at 30 % off"). So: the currency written next to the amount is the
 * source and that amount the amount ("1.500 coronas suecas" is 1500 SEK; "a dollar", "un euro" is 1); the other currencies the
 * message names are the targets. A follow-up that names none keeps the call ("¿Y 500?"); one that
 * names only the source takes the targets of the message before. A call in a conversation that names
 * no currency, or whose message names only the source and asks for no rate, is dropped.
 */
export function reconcileCurrencyCall(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  const now = currenciesMentioned(context.userText);
  const before = context.previousUserText ? currenciesMentioned(context.previousUserText) : [];
  if (now.length === 0) return before.length === 0 ? null : args;
  // "What does Ethereum cost in euros?": a coin priced in a currency is the market-price tool's, not a
  // conversion from a currency the message never names.
  if (coinsNamed(context.userText).size > 0 && now.length === 1 && now[0]!.amount === undefined && !now[0]!.one)
    return null;
  // Two conversions in one message ("100 USD to EUR and 50 GBP to JPY"): each call is its own.
  if (now.filter((mention) => mention.amount !== undefined).length > 1) return args;
  const result = { ...args };
  const withAmount = now.find((mention) => mention.amount !== undefined) ?? now.find((mention) => mention.one);
  if (withAmount) {
    result.from = withAmount.code;
    result.amount = withAmount.amount ?? 1;
  }
  const named = (mentions: typeof now) => mentions.map((mention) => mention.code);
  const codeOf = (value: unknown) => (typeof value === "string" ? toCurrencyCode(value) : undefined);
  // A source the message does not name stays as the model wrote it ("Convert 100 to yen").
  const from = codeOf(result.from);
  const targets = named(now).filter((code) => code !== from);
  if (targets.length > 0) return { ...result, to: targets };
  const modelTargets = Array.isArray(result.to) ? result.to.map(codeOf) : [];
  // A target the names cannot read (COP for "pesos colombianos") cannot be judged: kept.
  if (modelTargets.some((code) => code !== undefined && !(code in currencyNames))) return result;
  const earlier = named(before).filter((code) => code !== from);
  if (modelTargets.length > 0 && modelTargets.every((code) => code !== undefined && earlier.includes(code)))
    return result;
  if (earlier.length > 0) return { ...result, to: earlier };
  return conversionCue.test(context.userText) ? result : null;
}
