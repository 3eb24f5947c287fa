import { foldText, type ReconcileContext } from "realtime-agent";
import { coinGeckoId } from "./crypto-assets.ts";

/** Words that say a message is about markets: a stock, a share, a listing, a market. */
const marketCue =
  /(?<![\p{L}])(?:stocks?|shares?|ticker|equit\p{L}*|nasdaq|nyse|dow|s&p|market cap|trading|acci[oó]n|acciones|bolsa|cotiza\p{L}*|mercado|crypto\p{L}*|cripto\p{L}*)(?![\p{L}])/iu;

/**
 * A market-price call squared with the user's words: the 0.5B model also prices currencies ("convert
 * 10,000 yen to euros") and gold with it. A call is kept when the message, or the one before it for a
 * follow-up, names a cryptocurrency the call asks for, writes a ticker it asks for (AAPL), or speaks of
 * stocks, shares or markets; otherwise it is dropped and the model chooses among the other tools.
 */
export function reconcileMarketPriceCall(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  const assets = Array.isArray(args.assets)
    ? args.assets.filter((asset): asset is string => typeof asset === "string")
    : [];
  const coins = new Set(assets.map(coinGeckoId).filter((id) => id !== undefined));
  const grounded = (text: string | undefined) => {
    if (!text) return false;
    if (marketCue.test(text)) return true;
    // A coin the call asks for, named in the message ("bitcoin", "BTC", "bitcoin cash").
    const words = foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
    const named = words.flatMap((word, index) => [coinGeckoId(word), coinGeckoId(`${word} ${words[index + 1] ?? ""}`)]);
    if (named.some((id) => id !== undefined && coins.has(id))) return true;
    // A ticker the call asks for, written as one (AAPL).
    const tickers = new Set(text.match(/\b[A-Z]{1,5}\b/g) ?? []);
    return assets.some((asset) => tickers.has(asset.trim().toUpperCase()));
  };
  return grounded(context.userText) || grounded(context.previousUserText) ? args : null;
}
