import type { ReconcileContext } from "realtime-agent";
import { currencyNames, toCurrencyCode } from "../currency/currency-names.ts";

/** Commodities this tool has no price for (the 0.5B model asks it for "the price of gold"). */
const commodities =
  /^(?:gold|silver|platinum|palladium|oil|crude|crude oil|copper|oro|plata|platino|paladio|petr[oó]leo|cobre)$/i;

/** An asset the tool cannot price: a currency (the currency tool converts those) or a commodity. */
function unpriceable(asset: string): boolean {
  return toCurrencyCode(asset) in currencyNames || commodities.test(asset.trim());
}

/**
 * A market-price call squared with what the tool can price: the 0.5B model also calls it for currency
 * conversions ("10,000 yen in euros" → assets ["JPY", "EUR"]) and for gold. Currencies and commodities
 * are taken out of the call; a call left with nothing is dropped, and the model chooses among the
 * other tools (the currency tool, a web search).
 */
export function reconcileMarketPriceCall(
  args: Record<string, unknown>,
  _context: ReconcileContext,
): Record<string, unknown> | null {
  const assets = Array.isArray(args.assets)
    ? args.assets.filter((asset): asset is string => typeof asset === "string")
    : [];
  const priceable = assets.filter((asset) => !unpriceable(asset));
  return priceable.length === 0 ? null : { ...args, assets: priceable };
}
