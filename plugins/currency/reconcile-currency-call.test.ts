import { describe, expect, it } from "vitest";
import { currenciesMentioned, writtenAmount } from "./currency-mentions.ts";
import { reconcileCurrencyCall } from "./reconcile-currency-call.ts";

const call = (userText: string, args: Record<string, unknown>, previousUserText?: string) =>
  reconcileCurrencyCall(args, { userText, previousUserText });

describe("currenciesMentioned", () => {
  it("reads names, codes and symbols with the amount written next to them", () => {
    expect(currenciesMentioned("Convierte 1.500 coronas suecas a euros y dólares")).toEqual([
      { code: "SEK", amount: 1500 },
      { code: "EUR" },
      { code: "USD" },
    ]);
    expect(currenciesMentioned("I need to change 350 Canadian dollars into pounds sterling")).toEqual([
      { code: "CAD", amount: 350 },
      { code: "GBP" },
    ]);
    expect(currenciesMentioned("Convert €50 to USD, and how many yen is a dollar?")).toEqual([
      { code: "EUR", amount: 50 },
      { code: "USD", one: true },
      { code: "JPY" },
    ]);
  });

  it("does not read words that mostly mean something else as currencies", () => {
    expect(currenciesMentioned("Who won the match? In real time, try the peso de la ley")).toEqual([]);
  });

  it("reads a mark before three digits as thousands, any other as a decimal mark", () => {
    expect([writtenAmount("1.500"), writtenAmount("1,500"), writtenAmount("2,5"), writtenAmount("12")]).toEqual([
      1500, 1500, 2.5, 12,
    ]);
  });
});

describe("reconcileCurrencyCall", () => {
  it("leaves a coin priced in a currency to the market-price tool, and converts currencies beside a coin", () => {
    expect(call("What does Ethereum cost in euros?", { amount: 1, from: "USD", to: ["EUR"] })).toBeNull();
    expect(call("¿Cuánto vale un bitcoin en libras?", { amount: 1, from: "USD", to: ["GBP"] })).toBeNull();
    expect(
      call("I sold my bitcoin: how much is 300 dollars in euros?", { amount: 300, from: "USD", to: ["EUR"] }),
    ).toEqual({ amount: 300, from: "USD", to: ["EUR"] });
    expect(call("Convert 100 euros to dollars", { amount: 100, from: "EUR", to: ["USD"] })).toEqual({
      amount: 100,
      from: "EUR",
      to: ["USD"],
    });
  });

  it("takes the targets the user names, not the schema's example or an added dollar", () => {
    expect(
      call("I need to change 350 Canadian dollars into pounds", { amount: 350, from: "CAD", to: ["USD"] }),
    ).toEqual({ amount: 350, from: "CAD", to: ["GBP"] });
    expect(
      call("What's the weather in Rome, and how much is 100 dollars in euros?", {
        amount: 100,
        from: "dollars",
        to: ["EUR", "MXN"],
      }),
    ).toEqual({ amount: 100, from: "USD", to: ["EUR"] });
  });

  it("takes the source and amount from the currency written next to the amount", () => {
    expect(call("¿Cuántas libras son 650 dólares australianos?", { amount: 650, from: "USD", to: ["AUD"] })).toEqual({
      amount: 650,
      from: "AUD",
      to: ["GBP"],
    });
    expect(call("Convierte 1.500 coronas suecas a euros y dólares", { amount: 1.5, from: "SUE", to: ["EUR"] })).toEqual(
      {
        amount: 1500,
        from: "SEK",
        to: ["EUR", "USD"],
      },
    );
    expect(call("How many yen is a dollar?", { amount: 1, from: "JPY", to: ["USD"] })).toEqual({
      amount: 1,
      from: "USD",
      to: ["JPY"],
    });
  });

  it("keeps a follow-up's call, and gives one naming only the source the targets asked before", () => {
    const previous = "Convert 100 euros to dollars";
    expect(call("What about 500?", { amount: 500, from: "EUR", to: ["USD"] }, previous)).toEqual({
      amount: 500,
      from: "EUR",
      to: ["USD"],
    });
    expect(call("And 200 euros?", { amount: 200, from: "EUR", to: ["MXN"] }, previous)).toEqual({
      amount: 200,
      from: "EUR",
      to: ["USD"],
    });
    expect(call("And in yen?", { amount: 250, from: "EUR", to: ["USD", "YEN"] }, "250 euros in dollars?")).toEqual({
      amount: 250,
      from: "EUR",
      to: ["JPY"],
    });
  });

  it("drops a call in a conversation that names no currency, or only a price with no rate asked", () => {
    expect(
      call("If a jacket costs 80 and is 25% off, what's the sale price?", { amount: 80, from: "USD", to: ["EUR"] }),
    ).toBeNull();
    expect(call("¿Y el 25%?", { amount: 500, from: "USD", to: ["EUR"] }, "¿Cuánto es el 10% de 500?")).toBeNull();
    expect(
      call("Una camisa cuesta 60 euros con un 30% de descuento, ¿cuánto pago?", {
        amount: 60,
        from: "euros",
        to: ["dollars"],
      }),
    ).toBeNull();
    expect(call("¿A cuánto está el euro?", { amount: 1, from: "EUR", to: ["USD"] })).toEqual({
      amount: 1,
      from: "EUR",
      to: ["USD"],
    });
  });

  it("reads symbols and codes written against the amount, and leaves what it cannot judge", () => {
    const usdToEur = { amount: 100, from: "USD", to: ["EUR"] };
    expect(call("Convert $100 to euros", usdToEur)).toEqual(usdToEur);
    expect(call("Convert 100usd to eur", usdToEur)).toEqual(usdToEur);
    expect(call("Convierte 100€ a dólares", { amount: 100, from: "EUR", to: ["USD"] })).toEqual({
      amount: 100,
      from: "EUR",
      to: ["USD"],
    });
    expect(call("I earned 3 000 euros, how much in dollars?", { amount: 3, from: "EUR", to: ["USD"] })).toMatchObject({
      amount: 3000,
    });
    // A source the message does not name, two conversions in one message, a currency the names do not know.
    expect(call("Convert 100 to yen", { amount: 100, from: "USD", to: ["JPY"] })).toMatchObject({ from: "USD" });
    const second = { amount: 50, from: "GBP", to: ["JPY"] };
    expect(call("Convert 100 USD to EUR and 50 GBP to JPY", second)).toEqual(second);
    const pesos = { amount: 100, from: "USD", to: ["COP"] };
    expect(call("Convierte 100 dólares a pesos colombianos", pesos)).toEqual(pesos);
  });
});
