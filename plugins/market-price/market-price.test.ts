import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeToolCall, silentLogger, ToolRegistry } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { JsonApiServer } from "../shared/test-support/json-api-server.ts";
import { marketPricePlugin } from "./index.ts";

// CoinGecko's documented answer to GET /simple/price?ids=…&vs_currencies=…&include_last_updated_at=true
// &include_24hr_change=true, and Alpha Vantage's to GET /query?function=GLOBAL_QUOTE&symbol=…&apikey=….
const quotes: Record<string, Record<string, number>> = {
  bitcoin: { usd: 67187.33, eur: 61950.12, usd_24h_change: -1.2345, eur_24h_change: -1.1, last_updated_at: 1764300000 },
  ethereum: { usd: 3489.5, eur: 3217.4, usd_24h_change: 2.5, eur_24h_change: 2.4, last_updated_at: 1764300010 },
};
const coinGecko = new JsonApiServer((url) => {
  if (url.pathname !== "/api/v3/simple/price") return undefined;
  const currency = url.searchParams.get("vs_currencies")!;
  const body: Record<string, Record<string, number>> = {};
  for (const id of url.searchParams.get("ids")!.split(",")) {
    const quote = quotes[id];
    if (!quote) continue;
    body[id] = {
      [currency]: quote[currency]!,
      // CoinGecko answers null for a change it has no figure for.
      [`${currency}_24h_change`]: (quote[`${currency}_24h_change`] ?? null) as number,
      last_updated_at: quote.last_updated_at!,
    };
  }
  return { body };
});
const alphaVantage = new JsonApiServer((url) => {
  if (url.pathname !== "/query" || url.searchParams.get("function") !== "GLOBAL_QUOTE") return undefined;
  const symbol = url.searchParams.get("symbol");
  if (url.searchParams.get("apikey") === "exhausted")
    return {
      body: {
        Note: "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.",
      },
    };
  if (symbol !== "AAPL") return { body: { "Global Quote": {} } };
  return {
    body: {
      "Global Quote": {
        "01. symbol": "AAPL",
        "02. open": "189.3300",
        "03. high": "191.0500",
        "04. low": "188.6100",
        "05. price": "190.6400",
        "06. volume": "49120111",
        "07. latest trading day": "2026-11-27",
        "08. previous close": "188.7900",
        "09. change": "1.8500",
        "10. change percent": "0.9799%",
      },
    },
  };
});

let coinGeckoUrl: string;
let alphaVantageUrl: string;
beforeAll(async () => {
  coinGeckoUrl = `${await coinGecko.start()}/api/v3`;
  alphaVantageUrl = await alphaVantage.start();
});
afterAll(async () => {
  await Promise.all([coinGecko.close(), alphaVantage.close()]);
});

const registryWith = (config: Record<string, unknown>) =>
  new ToolRegistry().register(marketPricePlugin, {
    coinGeckoUrl,
    alphaVantageUrl,
    allowPrivate: ["127.0.0.1"],
    ...config,
  });
const call = (registry: ToolRegistry, argumentsOfCall: Record<string, unknown>) =>
  executeToolCall(
    { callId: "c", name: "market_price", arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );

describe("market price tool", () => {
  it("prices cryptocurrencies named or ticked in one CoinGecko request, with the time of the price, and keeps them a minute", async () => {
    const registry = registryWith({});
    const outcome = await call(registry, { assets: ["Bitcoin", "ETH"], currency: "euros" });
    expect(outcome).toMatchObject({
      ok: true,
      result: {
        prices: [
          {
            asset: "bitcoin",
            kind: "crypto",
            price: 61950.12,
            currency: "EUR",
            change_percent: -1.1,
            source: "CoinGecko",
          },
          { asset: "ethereum", kind: "crypto", price: 3217.4, currency: "EUR" },
        ],
      },
    });
    const priced = (outcome.ok ? outcome.result : { prices: [] }) as { prices: { as_of: string }[] };
    expect(priced.prices[0]?.as_of).toBe(new Date(1764300000 * 1000).toISOString());
    const request = coinGecko.requests.at(-1)!;
    expect(request.searchParams.get("ids")).toBe("bitcoin,ethereum");
    expect(request.searchParams.get("vs_currencies")).toBe("eur");
    const before = coinGecko.requests.length;
    await call(registry, { assets: ["btc"], currency: "EUR" });
    expect(coinGecko.requests.length).toBe(before);
    expect(registry.get("market_price")?.tool.cacheTtlMs).toBe(60_000);
  });

  it("takes a change CoinGecko has no figure for (null) as none, and asks again once a price is a minute old", async () => {
    quotes.solana = { usd: 150.25, last_updated_at: 1764300000 };
    const registry = registryWith({ priceCacheMs: 0 });
    const outcome = await call(registry, { assets: ["solana", "bitcoin"], currency: "USD" });
    expect(outcome).toMatchObject({
      ok: true,
      result: { prices: [{ asset: "solana", price: 150.25 }, { asset: "bitcoin" }] },
    });
    expect(outcome.ok && (outcome.result as { prices: object[] }).prices[0]).not.toHaveProperty("change_percent");
    const before = coinGecko.requests.length;
    await call(registry, { assets: ["solana"], currency: "USD" });
    expect(coinGecko.requests.length).toBe(before + 1);
  });

  it("sends CoinGecko's demo key when one is set", async () => {
    await call(registryWith({ coinGeckoApiKey: "CG-demo" }), { assets: ["solana"], currency: "USD" }).catch(
      () => undefined,
    );
    expect(coinGecko.headers.at(-1)?.["x-cg-demo-api-key"]).toBe("CG-demo");
  });

  it("quotes a stock from Alpha Vantage with a key, and says what is missing or wrong otherwise", async () => {
    const withKey = registryWith({ alphaVantageApiKey: "k" });
    expect(await call(withKey, { assets: ["aapl"] })).toMatchObject({
      ok: true,
      result: {
        prices: [
          {
            asset: "AAPL",
            kind: "stock",
            price: 190.64,
            currency: "USD",
            as_of: "2026-11-27",
            change_percent: 0.9799,
            source: "Alpha Vantage",
          },
        ],
      },
    });
    expect(alphaVantage.requests.at(-1)!.searchParams.get("apikey")).toBe("k");
    // A company named is its ticker.
    expect(await call(registryWith({ alphaVantageApiKey: "k" }), { assets: ["Apple"] })).toMatchObject({
      ok: true,
      result: { prices: [{ asset: "AAPL", price: 190.64 }] },
    });
    // Kept for the cache time from when it was fetched, however often it is asked for meanwhile.
    const quick = registryWith({ alphaVantageApiKey: "k", priceCacheMs: 1_000 });
    const asked = alphaVantage.requests.length;
    await call(quick, { assets: ["AAPL"] });
    await call(quick, { assets: ["AAPL"] });
    expect(alphaVantage.requests.length).toBe(asked + 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await call(quick, { assets: ["AAPL"] });
    expect(alphaVantage.requests.length).toBe(asked + 2);
    expect(await call(registryWith({}), { assets: ["AAPL"] })).toMatchObject({
      ok: false,
      error: { code: "TOOL_NOT_CONFIGURED" },
    });
    expect(await call(withKey, { assets: ["ZZZZ"] })).toMatchObject({ ok: false, error: { code: "TOOL_FAILED" } });
    expect(await call(registryWith({ alphaVantageApiKey: "exhausted" }), { assets: ["MSFT"] })).toMatchObject({
      ok: false,
      error: { code: "TOOL_UNAVAILABLE", retryable: true },
    });
    expect(await call(withKey, { assets: ["gold bars!"] })).toMatchObject({
      ok: false,
      error: { code: "TOOL_INVALID_INPUT" },
    });
  });

  it("refuses private addresses unless allowed", async () => {
    const locked = new ToolRegistry().register(marketPricePlugin, { coinGeckoUrl, alphaVantageUrl });
    const refused = await call(locked, { assets: ["bitcoin"] });
    expect(refused.ok ? "" : refused.error.message).toMatch(/private or loopback/);
  });
});

describe("market price plugin contract", () => {
  const api = new JsonApiServer((url) => {
    if (url.pathname !== "/api/v3/simple/price") return undefined;
    // Accepted, never answered: the contract's cancellation check (no example names this coin).
    if (url.searchParams.get("ids") === "monero") return "hang";
    const currency = url.searchParams.get("vs_currencies")!;
    const ids = url.searchParams.get("ids")!.split(",");
    return { body: Object.fromEntries(ids.map((id) => [id, { [currency]: 100, last_updated_at: 1764300000 }])) };
  });
  const stocks = new JsonApiServer(() => ({
    body: { "Global Quote": { "01. symbol": "X", "05. price": "10.0000", "07. latest trading day": "2026-11-27" } },
  }));
  beforeAll(async () => {
    await Promise.all([api.start(), stocks.start()]);
  });
  afterAll(async () => {
    await Promise.all([api.close(), stocks.close()]);
  });
  runPluginContract(marketPricePlugin, {
    config: () => ({
      coinGeckoUrl: `${api.url}/api/v3`,
      alphaVantageUrl: stocks.url,
      alphaVantageApiKey: "k",
      allowPrivate: ["127.0.0.1"],
      timeoutMs: 60_000,
    }),
    cancellableCall: { tool: "market_price", arguments: { assets: ["monero"], currency: "USD" } },
  });
});
