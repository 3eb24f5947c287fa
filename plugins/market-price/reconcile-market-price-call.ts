import { foldText, type ReconcileContext } from "realtime-agent";
import { currencyNames, toCurrencyCode } from "../currency/currency-names.ts";
import { coinGeckoId } from "./crypto-assets.ts";

/** Commodities this tool has no price for (the 0.5B model asks it for "the price of gold"). */
const commodities =
  /^(?:gold|silver|platinum|palladium|oil|crude|crude oil|copper|oro|plata|platino|paladio|petr[oó]leo|cobre)$/i;

/** An asset the tool cannot price: a currency (the currency tool converts those) or a commodity. */
function unpriceable(asset: string): boolean {
  return toCurrencyCode(asset) in currencyNames || commodities.test(asset.trim());
}

/** The coins a text names ("bitcoin", "BTC", "bitcoin cash"). */
function coinsNamed(text: string | undefined): Set<string> {
  const words = text ? (foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []) : [];
  const named = words.flatMap((word, index) => [coinGeckoId(word), coinGeckoId(`${word} ${words[index + 1] ?? ""}`)]);
  return new Set(named.filter((id): id is string => id !== undefined));
}

/**
 * A market-price call squared with what the tool can price and what the user asked: the 0.5B model
 * also calls it for currency conversions ("10,000 yen in euros" → assets ["JPY", "EUR"]) and for gold,
 * and, offered it beside the currency tool, copies its example coins ("bitcoin", "eth") into a
 * conversion. Currencies and commodities are taken out, and so are coins the message (or the one
 * before it) does not name; stocks stay (a company may go by a name the message spells its own way).
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
  const priceable = assets.filter((asset) => {
    if (unpriceable(asset)) return false;
    const coin = coinGeckoId(asset);
    return coin === undefined || named.has(coin);
  });
  return priceable.length === 0 ? null : { ...args, assets: priceable };
}
