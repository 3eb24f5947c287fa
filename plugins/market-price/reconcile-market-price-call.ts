import type { ReconcileContext } from "realtime-agent";
import { currencyNames, toCurrencyCode } from "../currency/currency-names.ts";
import { coinGeckoId, coinsNamed } from "./crypto-assets.ts";
import { namesStock } from "./company-tickers.ts";

/** Commodities this tool has no price for (the 0.5B model asks it for "the price of gold"). */
const commodities =
  /^(?:gold|silver|platinum|palladium|oil|crude|crude oil|copper|oro|plata|platino|paladio|petr[oó]leo|cobre)$/i;

/** An asset the tool cannot price: a currency (the currency tool converts those) or a commodity. */
function unpriceable(asset: string): boolean {
  return toCurrencyCode(asset) in currencyNames || commodities.test(asset.trim());
}

/**
 * A market-price call squared with what the tool can price and what the user asked: the 0.5B model
 * also calls it for currency conversions ("10,000 yen in euros" → assets ["JPY", "EUR"]) and for gold,
 * and, offered it beside the currency tool, copies its example coins ("bitcoin", "eth") into a
 * conversion, and its example tickers into a question about another company. Currencies and
 * commodities are taken out, and so are coins and stocks the message (or the one before it) does not
 * name; when it names none of the stocks, they stay (a company it spells its own way).
 * A call left with nothing is dropped, and the model chooses among the other tools.
 */
export function reconcileMarketPriceCall(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  const assets = Array.isArray(args.assets)
    ? args.assets.filter((asset): asset is string => typeof asset === "string")
    : [];
  const named = new Set([...coinsNamed(context.userText), ...coinsNamed(context.previousUserText)]);
  const coins = assets.filter((asset) => !unpriceable(asset) && coinGeckoId(asset) !== undefined);
  const stocks = assets.filter((asset) => !unpriceable(asset) && coinGeckoId(asset) === undefined);
  // Stocks the message names (as written, by ticker or by company); when it names none of them, a
  // company it spells its own way, all of them.
  const text = `${context.userText} ${context.previousUserText ?? ""}`;
  const namedStocks = stocks.filter((asset) => namesStock(text, asset));
  const priceable = [
    ...coins.filter((asset) => named.has(coinGeckoId(asset)!)),
    ...(namedStocks.length ? namedStocks : stocks),
  ];
  return priceable.length === 0 ? null : { ...args, assets: assets.filter((asset) => priceable.includes(asset)) };
}
