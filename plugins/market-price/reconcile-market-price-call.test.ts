import { describe, expect, it } from "vitest";
import { reconcileMarketPriceCall } from "./reconcile-market-price-call.ts";

const reconciled = (assets: string[], userText = "…") =>
  reconcileMarketPriceCall({ assets, currency: "USD" }, { userText, previousUserText: undefined, language: undefined });

describe("reconciling a market price call", () => {
  it("keeps the coins the user names, and tickers and companies whatever the message calls them", () => {
    expect(reconciled(["bitcoin"], "What's the price of Bitcoin?")).toEqual({ assets: ["bitcoin"], currency: "USD" });
    expect(reconciled(["BTC"], "¿A cuánto está el bitcoin hoy?")).toEqual({ assets: ["BTC"], currency: "USD" });
    expect(reconciled(["solana", "ETH"], "Solana and Ether prices")).toEqual({
      assets: ["solana", "ETH"],
      currency: "USD",
    });
    for (const assets of [["AAPL"], ["Tesla"], ["nvidia"]])
      expect(reconciled(assets, "How much is it worth today?"), assets.join()).toEqual({ assets, currency: "USD" });
    const followUp = reconcileMarketPriceCall(
      { assets: ["ethereum"], currency: "EUR" },
      { userText: "¿Y en euros?", previousUserText: "¿Cuánto vale un ether?", language: "es" },
    );
    expect(followUp).toEqual({ assets: ["ethereum"], currency: "EUR" });
  });

  it("drops the example coins the model copies into a currency conversion", () => {
    expect(reconciled(["bitcoin", "eth"], "Tengo 10.000 yenes, ¿cuánto es eso en euros?")).toBeNull();
    expect(reconciled(["bitcoin", "AAPL"], "How are Apple shares doing?")).toEqual({
      assets: ["AAPL"],
      currency: "USD",
    });
  });

  it("takes currencies and commodities out, and drops a call left with nothing", () => {
    expect(reconciled(["JPY", "EUR"])).toBeNull();
    expect(reconciled(["euros", "dólares"])).toBeNull();
    expect(reconciled(["gold"])).toBeNull();
    expect(reconciled(["oro", "plata"])).toBeNull();
    expect(reconciled(["bitcoin", "USD"], "bitcoin in dollars")).toEqual({ assets: ["bitcoin"], currency: "USD" });
  });
});
