import { describe, expect, it } from "vitest";
import { compareSpecifics, sameSpecifics, specificsOf } from "./false-hit-guard.ts";

describe("false-hit guard", () => {
  it("lets paraphrases through", () => {
    const pairs: [string, string][] = [
      ["Convert 100 USD to EUR", "How many euros is 100 US dollars?"],
      ["What's the weather in Tokyo tomorrow?", "Weather forecast for Tokyo tomorrow"],
      ["¿Qué tiempo hará mañana en Madrid?", "El tiempo en Madrid mañana"],
      ["What is 1,500 divided by 5?", "Divide 1500 by 5"],
      ["Cuánto es 3,5 por 2", "calcula 3.5 por 2"],
    ];
    for (const [first, second] of pairs) expect(sameSpecifics(first, second), `${first} ~ ${second}`).toBe(true);
  });

  it("stops near-duplicates that differ in a number, a currency's direction, a place, a day or a negation", () => {
    const pairs: [string, string][] = [
      ["Convert 100 USD to EUR", "Convert 100 EUR to USD"],
      ["Convert 100 USD to EUR", "Convert 200 USD to EUR"],
      ["What's the weather in Tokyo?", "What's the weather in Kyoto?"],
      ["Weather in Paris today", "Weather in Paris tomorrow"],
      ["¿Llueve hoy en Sevilla?", "¿Llueve mañana en Sevilla?"],
      ["Is it safe to swim in Lisbon in winter?", "Is it not safe to swim in Lisbon in winter?"],
      ["Cambia 50 euros a yenes", "Cambia 50 yenes a euros"],
    ];
    for (const [first, second] of pairs) expect(sameSpecifics(first, second), `${first} ≠ ${second}`).toBe(false);
  });

  it("is unsure about a word that opens a sentence: a verb, or a place", () => {
    expect(compareSpecifics("Tokyo weather tomorrow", "Kyoto weather tomorrow")).toBe("unsure");
    expect(compareSpecifics("Write a haiku about autumn", "Compose a haiku about autumn")).toBe("unsure");
    expect(compareSpecifics("Recommend a good book", "Can you recommend a good book?")).toBe("same");
    expect(compareSpecifics("Convert 10 miles to kilometres", "Convert 10 kilometres to miles")).toBe("differ");
  });

  it("reads the specifics of a question", () => {
    expect(specificsOf("Convert 1,500 dollars to yen in Tokyo tomorrow")).toEqual({
      numbers: ["1500"],
      currencies: ["USD", "JPY"],
      places: ["tokyo"],
      possiblePlaces: [],
      days: ["tomorrow"],
      negated: false,
    });
  });
});
