import { describe, expect, it } from "vitest";
import { reconcileMarketPriceCall } from "./reconcile-market-price-call.ts";

const call = (assets: string[]) => ({ assets, currency: "USD" });
const kept = (assets: string[], userText: string, previousUserText?: string) =>
  reconcileMarketPriceCall(call(assets), { userText, previousUserText, language: undefined }) !== null;

describe("reconciling a market price call with the user's words", () => {
  it("keeps calls for coins, tickers and stocks the user names, also in a follow-up", () => {
    expect(kept(["bitcoin"], "What's the price of Bitcoin?")).toBe(true);
    expect(kept(["BTC"], "¿A cuánto está el bitcoin hoy?")).toBe(true);
    expect(kept(["AAPL"], "How is AAPL trading?")).toBe(true);
    expect(kept(["MSFT"], "¿Cuál es el precio de la acción de Microsoft?")).toBe(true);
    expect(kept(["ethereum"], "¿Y Ethereum?", "¿Cuánto vale el bitcoin?")).toBe(true);
  });

  it("drops calls for currency conversions, gold or anything the user did not ask to price", () => {
    expect(kept(["JPY"], "Tengo 10.000 yenes, ¿cuánto es eso en euros?")).toBe(false);
    expect(kept(["EUR", "USD"], "I have 50,000 yen left over, what's that in euros and in dollars?")).toBe(false);
    expect(kept(["gold"], "What's the price of gold per ounce today?")).toBe(false);
    expect(kept(["solana"], "¿Hace buen tiempo en Madrid?")).toBe(false);
  });
});
