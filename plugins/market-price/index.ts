import { z } from "zod";
import { plugin, tool, ToolError, type ToolFetch } from "realtime-agent";
import { getJson, hostOf, networkConfigSchema } from "../shared/http-json.ts";
import { toCurrencyCode } from "../currency/currency-names.ts";
import { coinGeckoId } from "./crypto-assets.ts";
import { tickerOf } from "./company-tickers.ts";
import { reconcileMarketPriceCall } from "./reconcile-market-price-call.ts";

/**
 * Market prices: cryptocurrencies from CoinGecko's public API (GET /api/v3/simple/price?ids=bitcoin
 * &vs_currencies=usd&include_last_updated_at=true; an optional demo key in `x-cg-demo-api-key`), and
 * stocks from Alpha Vantage (GET /query?function=GLOBAL_QUOTE&symbol=IBM&apikey=…; a key is needed,
 * without one a stock is "not configured"). Prices move by the minute: kept 60 s, here and in the
 * semantic cache.
 */
export const marketPriceConfigSchema = networkConfigSchema.extend({
  coinGeckoUrl: z.string().url().default("https://api.coingecko.com/api/v3"),
  coinGeckoApiKey: z.string().optional(),
  alphaVantageUrl: z.string().url().default("https://www.alphavantage.co"),
  alphaVantageApiKey: z.string().optional(),
  priceCacheMs: z.number().int().min(0).default(60_000),
});
export type MarketPriceConfig = z.infer<typeof marketPriceConfigSchema>;

/**
 * `{"bitcoin": {"usd": 67187.33, "usd_24h_change": -1.2, "last_updated_at": 1711356300}}`; an unknown
 * id is left out, and a change CoinGecko has no figure for is null.
 */
const coinGeckoSchema = z.record(z.string(), z.record(z.string(), z.number().nullable()));
/** `{"Global Quote": {"01. symbol": "IBM", "05. price": "191.2200", "07. latest trading day": "2024-03-22", …}}`. */
const alphaVantageSchema = z.object({
  "Global Quote": z.record(z.string(), z.string()).optional(),
  Note: z.string().optional(),
  Information: z.string().optional(),
  "Error Message": z.string().optional(),
});

const priceSchema = z.object({
  asset: z.string(),
  kind: z.enum(["crypto", "stock"]),
  price: z.number(),
  currency: z.string(),
  as_of: z.string(),
  change_percent: z.number().optional(),
  source: z.string(),
});
type Price = z.infer<typeof priceSchema>;

const stockSymbol = /^[A-Z][A-Z0-9.-]{0,9}$/;

export function marketPriceTool(config: MarketPriceConfig) {
  const cache = new Map<string, { at: number; price: Price }>();
  const cached = (key: string) => {
    const entry = cache.get(key);
    return entry && Date.now() - entry.at < config.priceCacheMs ? entry.price : undefined;
  };
  const keep = (key: string, price: Price) => {
    cache.set(key, { at: Date.now(), price });
    if (cache.size > 1_000) cache.delete(cache.keys().next().value!);
  };
  return tool({
    name: "market_price",
    description:
      "The current market price of a cryptocurrency (Bitcoin, Ether, Solana…) or a company's stock by its ticker (AAPL, MSFT, TSLA). Not for converting money between currencies.",
    inputSchema: z.object({
      assets: z
        .array(z.string().min(1).max(40))
        .min(1)
        .max(5)
        .describe("Cryptocurrencies by name or ticker (bitcoin, ETH) or stock tickers (AAPL)"),
      currency: z
        .string()
        .transform(toCurrencyCode)
        .pipe(z.string().regex(/^[A-Z]{3}$/, "a three-letter currency code such as USD"))
        .default("USD")
        .describe("The currency to price cryptocurrencies in (default USD); stocks are quoted in their market's"),
    }),
    outputSchema: z.object({ prices: z.array(priceSchema) }),
    timeoutMs: config.timeoutMs,
    cacheTtlMs: config.priceCacheMs,
    idempotent: true,
    networkHosts: [hostOf(config.coinGeckoUrl), hostOf(config.alphaVantageUrl)],
    service: "CoinGecko / Alpha Vantage",
    examples: [
      { request: "What's the price of Bitcoin?", arguments: { assets: ["bitcoin"], currency: "USD" } },
      { request: "How much is one Ether in euros?", arguments: { assets: ["ethereum"], currency: "EUR" } },
      { request: "Bitcoin and Solana prices, please", arguments: { assets: ["bitcoin", "solana"], currency: "USD" } },
      { request: "What is Apple's stock price?", arguments: { assets: ["AAPL"], currency: "USD" } },
      { request: "How is TSLA trading today?", arguments: { assets: ["TSLA"], currency: "USD" } },
      { request: "¿A cuánto está el bitcoin hoy?", arguments: { assets: ["bitcoin"], currency: "USD" } },
      { request: "¿Cuánto vale un ether en euros?", arguments: { assets: ["ethereum"], currency: "EUR" } },
      { request: "¿Cuál es el precio de la acción de Microsoft?", arguments: { assets: ["MSFT"], currency: "USD" } },
      { request: "¿Cómo cotiza Dogecoin?", arguments: { assets: ["dogecoin"], currency: "USD" } },
    ],
    reconcile: reconcileMarketPriceCall,
    async execute({ assets, currency }, { fetch }) {
      for (const asset of assets)
        if (!coinGeckoId(asset) && !stockSymbol.test(tickerOf(asset)))
          throw new ToolError("TOOL_INVALID_INPUT", `"${asset}" is neither a known cryptocurrency nor a stock ticker.`);
      // This call's prices, each taken once: the cache may let one go while another is fetched.
      const found = new Map<string, Price>();
      const coins = [...new Set(assets.map(coinGeckoId).filter((id): id is string => id !== undefined))];
      for (const id of coins) {
        const price = cached(`${id}:${currency}`);
        if (price) found.set(id, price);
      }
      const missing = coins.filter((id) => !found.has(id));
      if (missing.length)
        for (const price of await coinPrices(missing, currency, fetch)) {
          keep(`${price.asset}:${currency}`, price);
          found.set(price.asset, price);
        }
      const prices: Price[] = [];
      for (const asset of assets) {
        const id = coinGeckoId(asset);
        if (id) {
          prices.push(found.get(id)!);
          continue;
        }
        const symbol = tickerOf(asset);
        let price = found.get(`stock:${symbol}`) ?? cached(`stock:${symbol}`);
        if (!price) {
          // Kept from when it was fetched: asking again does not make a price younger.
          price = await stockQuote(symbol, fetch);
          keep(`stock:${symbol}`, price);
        }
        found.set(`stock:${symbol}`, price);
        prices.push(price);
      }
      return { prices };
    },
  });

  async function coinPrices(ids: string[], currency: string, fetch: ToolFetch): Promise<Price[]> {
    const url = new URL(`${config.coinGeckoUrl.replace(/\/$/, "")}/simple/price`);
    url.searchParams.set("ids", ids.join(","));
    url.searchParams.set("vs_currencies", currency.toLowerCase());
    url.searchParams.set("include_last_updated_at", "true");
    url.searchParams.set("include_24hr_change", "true");
    const body = await getJson(url, {
      fetch,
      allowPrivate: config.allowPrivate,
      schema: coinGeckoSchema,
      service: "CoinGecko",
      timeoutMs: config.timeoutMs,
      ...(config.coinGeckoApiKey ? { headers: { "x-cg-demo-api-key": config.coinGeckoApiKey } } : {}),
    });
    const unit = currency.toLowerCase();
    return ids.map((id) => {
      const quote = body[id];
      const price = quote?.[unit];
      if (price === undefined || price === null)
        throw new ToolError("TOOL_FAILED", `CoinGecko has no ${currency} price for ${id}.`);
      const change = quote?.[`${unit}_24h_change`] ?? undefined;
      const updated = quote?.last_updated_at ?? undefined;
      return {
        asset: id,
        kind: "crypto" as const,
        price,
        currency,
        as_of: updated === undefined ? new Date().toISOString() : new Date(updated * 1000).toISOString(),
        ...(change !== undefined ? { change_percent: Math.round(change * 100) / 100 } : {}),
        source: "CoinGecko",
      };
    });
  }

  async function stockQuote(symbol: string, fetch: ToolFetch): Promise<Price> {
    if (!config.alphaVantageApiKey)
      throw new ToolError(
        "TOOL_NOT_CONFIGURED",
        `Stock prices need an Alpha Vantage API key (ALPHA_VANTAGE_API_KEY); ${symbol} was not looked up.`,
      );
    const url = new URL(`${config.alphaVantageUrl.replace(/\/$/, "")}/query`);
    url.searchParams.set("function", "GLOBAL_QUOTE");
    url.searchParams.set("symbol", symbol);
    url.searchParams.set("apikey", config.alphaVantageApiKey);
    const body = await getJson(url, {
      fetch,
      allowPrivate: config.allowPrivate,
      schema: alphaVantageSchema,
      service: "Alpha Vantage",
      timeoutMs: config.timeoutMs,
    });
    // Over its limits Alpha Vantage answers 200 with a Note or an Information line instead of a quote.
    const refusal = body.Note ?? body.Information;
    if (refusal)
      throw new ToolError("TOOL_UNAVAILABLE", `Alpha Vantage did not answer with a quote: ${refusal.slice(0, 160)}`);
    const quote = body["Global Quote"];
    const price = Number(quote?.["05. price"]);
    if (!quote || !Number.isFinite(price) || price <= 0)
      throw new ToolError("TOOL_FAILED", `Alpha Vantage knows no stock with the ticker ${symbol}.`);
    const change = Number.parseFloat(quote["10. change percent"] ?? "");
    return {
      asset: quote["01. symbol"] ?? symbol,
      kind: "stock",
      price,
      // GLOBAL_QUOTE gives no currency: US listings are in dollars; a ticker with an exchange suffix
      // (TSCO.LON, SHOP.TRT) is in its exchange's currency, which the quote does not name.
      currency: /\.[A-Z]{3,4}$/.test(symbol) ? "the exchange's currency" : "USD",
      as_of: quote["07. latest trading day"] ?? new Date().toISOString().slice(0, 10),
      ...(Number.isFinite(change) ? { change_percent: change } : {}),
      source: "Alpha Vantage",
    };
  }
}

export const marketPricePlugin = plugin({
  name: "market-price",
  version: "1.0.0",
  configSchema: marketPriceConfigSchema,
  tools: (config) => [marketPriceTool(config)],
});
