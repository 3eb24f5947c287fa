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
      ["¿Cuánto es el 15% de 240?", "Calcula el 15 por ciento de 240"],
      ["What is 20 percent of 80?", "20% of 80"],
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

  it("stops near-duplicates that differ in a measure, an operation, a period, a month or a comparison's end", () => {
    const pairs: [string, string][] = [
      ["How many dollars do I get for 100 rupees?", "How many rupees do I get for 100 dollars?"],
      ["Convert 60 psi to bar", "Convert 60 bar to psi"],
      ["Convert 30 °C to °F", "Convert 30 °F to °C"],
      ["What is 48 plus 12?", "What is 48 minus 12?"],
      ["What's 20% of $80?", "What's 20% off $80?"],
      ["Weather forecast for Madrid this week", "Weather forecast for Madrid next week"],
      ["¿Quién ganó la liga el año pasado?", "¿Quién ganó la liga hace dos años?"],
      ["¿Va a llover en Madrid mañana?", "¿Va a llover en Madrid pasado mañana?"],
      ["Sunset in Madrid on 21 June", "Sunset in Madrid on 21 December"],
      ["What is the cheapest flight to Rome?", "What is the most expensive flight to Rome?"],
      ["What is the cheapest train to Porto?", "What is the fastest train to Porto?"],
      ["¿Cuál es la playa más fría de Galicia?", "¿Cuál es la playa más cálida de Galicia?"],
      ["How warm is Quito in summer?", "How warm is Quito in winter?"],
      ["Weather in Oslo for the next two days", "Weather in Oslo for the next five days"],
      ["What's the area of a 3 by 5 metre garden?", "What's the perimeter of a 3 by 5 metre garden?"],
      ["Convierte 2 toneladas cortas a kilos", "Convierte 2 toneladas largas a kilos"],
      ["What is sixteen times four?", "What is seventeen times four?"],
      ["Maximum temperature in Lima tomorrow", "Minimum temperature in Lima tomorrow"],
      ["When is the earliest bus to Porto?", "When is the latest bus to Porto?"],
      ["When does the first train leave for Porto?", "When does the last train leave for Porto?"],
    ];
    for (const [first, second] of pairs) expect(sameSpecifics(first, second), `${first} ≠ ${second}`).toBe(false);
    const paraphrases: [string, string][] = [
      ["What is 12 times 7?", "Multiply 12 by 7"],
      ["Convert 20 cm to inches", "How many inches is 20 centimeters?"],
      ["What's the forecast for Lima next week?", "What will the weather be in Lima next week?"],
      ["May I ask what 5 plus 3 is?", "What is 5 plus 3?"],
      ["Weather in Oslo for the next 3 days", "What's the weather in Oslo for the next three days?"],
      ["Which is the largest lake in Africa?", "What's the biggest lake in Africa?"],
    ];
    for (const [first, second] of paraphrases) {
      expect(compareSpecifics(first, second), `${first} ~ ${second}`).not.toBe("differ");
    }
  });

  it("reads hostile input in linear time and never takes an inherited property for a currency", () => {
    const long = "1".repeat(65_536);
    for (const text of [long, `1${" ".repeat(65_536)}x`, "!".repeat(65_536), "A ".repeat(32_768), `${long} may`]) {
      expect(specificsOf(text).negated).toBe(false);
    }
    expect(specificsOf("Who was the constructor of the Eiffel Tower?").currencies).toEqual([]);
  });

  it("is unsure about a word that opens a sentence: a verb, or a place", () => {
    // The only word the two differ in: a change (single-word-change.ts), not a doubt.
    expect(compareSpecifics("Tokyo weather tomorrow", "Kyoto weather tomorrow")).toBe("differ");
    expect(compareSpecifics("Write a haiku about autumn", "Compose a haiku about autumn")).toBe("unsure");
    expect(compareSpecifics("Recommend a good book", "Can you recommend a good book?")).toBe("same");
    expect(compareSpecifics("Convert 10 miles to kilometres", "Convert 10 kilometres to miles")).toBe("differ");
  });

  it("reads the specifics of a question", () => {
    expect(specificsOf("Convert 1,500 dollars to yen in Tokyo tomorrow")).toEqual({
      numbers: ["1500"],
      measures: ["USD"],
      currencies: ["USD", "JPY"],
      places: ["tokyo"],
      possiblePlaces: [],
      days: ["tomorrow"],
      months: [],
      seasons: [],
      periods: [],
      operations: [],
      comparisons: [],
      negated: false,
    });
    expect(specificsOf("¿Cuánto es 20 más 5 y el 10% de descuento la semana que viene?")).toMatchObject({
      measures: ["", "", "%"],
      operations: ["+", "off"],
      periods: ["next:week"],
    });
  });
});
