import { describe, expect, it } from "vitest";
import { reconcileMarketPriceCall } from "./reconcile-market-price-call.ts";

const reconciled = (assets: string[], userText = "…") =>
  reconcileMarketPriceCall({ assets, currency: "USD" }, { userText, previousUserText: undefined, language: undefined });

describe("reconciling a market price call", () => {
  it("keeps coins, tickers and companies, whatever the message calls them", () => {
    for (const assets of [["bitcoin"], ["BTC"], ["AAPL"], ["Tesla"], ["nvidia"], ["solana", "ETH"]])
      expect(reconciled(assets), assets.join()).toEqual({ assets, currency: "USD" });
  });

  it("takes currencies and commodities out, and drops a call left with nothing", () => {
    expect(reconciled(["JPY", "EUR"])).toBeNull();
    expect(reconciled(["euros", "dólares"])).toBeNull();
    expect(reconciled(["gold"])).toBeNull();
    expect(reconciled(["oro", "plata"])).toBeNull();
    expect(reconciled(["bitcoin", "USD"])).toEqual({ assets: ["bitcoin"], currency: "USD" });
  });
});
