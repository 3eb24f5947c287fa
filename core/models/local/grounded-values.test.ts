import { describe, expect, it } from "vitest";
import {
  bringsNewValue,
  groundedValues,
  callsForListedNumbers,
  mentionedInRequest,
  numericLists,
  withListItemsApart,
  withoutInventedLastStep,
  withoutInventedOptionals,
} from "./grounded-values.ts";

describe("groundedValues", () => {
  it("keeps the numbers and strings the request spells out, and drops filled-in ones", () => {
    const values = groundedValues(
      { arguments: { city: "Tokyo", days: 3, amount: 1500, note: { unit: "celsius" } } },
      "Weather in tokyo, and convert 1,500 dollars",
    );
    expect([...values].sort()).toEqual(['"tokyo', "#1500"]);
    expect([...groundedValues({ arguments: { expression: "5.000 / 2" } }, "Pásame 5.000 yenes")]).toEqual(["#5|5000"]);
  });

  it("counts strings only as whole words of the request", () => {
    expect([...groundedValues({ arguments: { from: "EUR", city: "Rome" } }, "Split 96 euros in Rome")]).toEqual([
      '"rome',
    ]);
  });

  it("reads the numbers inside an expression", () => {
    expect([...groundedValues({ arguments: { expression: "12*7" } }, "What is 12 times 7?")].sort()).toEqual([
      "#12",
      "#7",
    ]);
  });
});

describe("bringsNewValue", () => {
  it("accepts a further call for another value the request names", () => {
    const first = { arguments: { city: "Tokyo" } };
    expect(bringsNewValue({ arguments: { city: "Paris" } }, [first], "Weather in Tokyo and Paris?")).toBe(true);
  });

  it("refuses a variation that only reuses the earlier call's values", () => {
    const first = { arguments: { expression: "12*7" } };
    expect(bringsNewValue({ arguments: { expression: "12/7" } }, [first], "What is 12*7?")).toBe(false);
    expect(bringsNewValue({ arguments: { expression: "84+1" } }, [first], "What is 12*7?")).toBe(false);
  });

  it("counts a number read two ways, or a string inside an earlier one, as the same value", () => {
    const amount = { arguments: { amount: 5000, from: "JPY" } };
    expect(bringsNewValue({ arguments: { expression: "5.000 / 1000" } }, [amount], "Pásame 5.000 yenes")).toBe(false);
    const search = { arguments: { query: "población actual Colombia" } };
    const text = "Busca la población actual de Colombia";
    expect(bringsNewValue({ arguments: { city: "Colombia" } }, [search], text)).toBe(false);
  });
});

describe("withoutInventedOptionals", () => {
  const schema = { properties: { city: {}, days: {}, unit: {} }, required: ["city"] };

  it("keeps optional numbers the request writes in words or with a scale", () => {
    expect(withoutInventedOptionals({ city: "Paris", days: 3 }, schema, "Paris for the next three days")).toEqual({
      city: "Paris",
      days: 3,
    });
    expect(withoutInventedOptionals({ city: "Lima", days: 10 }, schema, "Lima, diez días")).toEqual({
      city: "Lima",
      days: 10,
    });
    expect(withoutInventedOptionals({ city: "Lima", days: 2 }, schema, "Lima, diez días")).toEqual({ city: "Lima" });
  });

  it("leaves out optional arguments the request does not spell out, and keeps required ones", () => {
    expect(withoutInventedOptionals({ city: "Paris", days: 3, unit: "celsius" }, schema, "Weather in Paris?")).toEqual({
      city: "Paris",
    });
    expect(withoutInventedOptionals({ city: "Lyon", days: 5 }, schema, "Paris for 5 days, in Fahrenheit")).toEqual({
      city: "Lyon",
      days: 5,
    });
    expect(withoutInventedOptionals({ city: "Paris", unit: "fahrenheit" }, schema, "Paris in Fahrenheit")).toEqual({
      city: "Paris",
      unit: "fahrenheit",
    });
  });

  it("leaves out an optional number outside its schema's bounds, though the request spells it out", () => {
    const bounded = {
      properties: { city: {}, days: { type: "integer", minimum: 1, maximum: 7 }, step: { exclusiveMinimum: 0 } },
      required: ["city"],
    };
    const request = "Weather in Madrid and 50 euros in dollars; 0 steps, 5 days";
    expect(withoutInventedOptionals({ city: "Madrid", days: 50 }, bounded, request)).toEqual({ city: "Madrid" });
    expect(withoutInventedOptionals({ city: "Madrid", days: 5, step: 0 }, bounded, request)).toEqual({
      city: "Madrid",
      days: 5,
    });
  });

  it("keeps an optional flag or word the request names in other words", () => {
    const route = { properties: { from: {}, to: {}, avoid_tolls: {}, include_traffic: {} }, required: ["from", "to"] };
    const request = "Fastest route from San Francisco to Los Angeles with toll roads avoided";
    expect(
      withoutInventedOptionals({ from: "SF", to: "LA", avoid_tolls: true, include_traffic: false }, route, request),
    ).toEqual({
      from: "SF",
      to: "LA",
      avoid_tolls: true,
    });
    const lookup = { properties: { crime: {}, detail_level: {}, compartment: {} }, required: ["crime"] };
    expect(
      withoutInventedOptionals(
        { crime: "theft", detail_level: "detailed", compartment: "plasma_membrane" },
        lookup,
        "Punishments for theft in detail; proteins of the plasma membrane",
      ),
    ).toEqual({ crime: "theft", detail_level: "detailed", compartment: "plasma_membrane" });
  });
});

describe("mentionedInRequest", () => {
  it("reads a flag's name words by their first five letters, never its empty words", () => {
    expect(mentionedInRequest("include_human_impact", true, "growth including human impact")).toBe(true);
    expect(mentionedInRequest("standardize", true, "Also apply standardization.")).toBe(true);
    expect(mentionedInRequest("includeDetails", false, "the weather in Paris")).toBe(false);
    expect(mentionedInRequest("include_info", true, "include all the info")).toBe(false);
  });

  it("asks every word of a string, three-letter words whole", () => {
    expect(mentionedInRequest("mode", "bus", "a business trip")).toBe(false);
    expect(mentionedInRequest("mode", "bus", "by bus")).toBe(true);
    expect(mentionedInRequest("unit", "km", "Earth to Moon in km")).toBe(false);
    expect(mentionedInRequest("cell", "plasma_membrane", "the plasma wall")).toBe(false);
    expect(mentionedInRequest("days", 3, "three days")).toBe(false);
  });
});

describe("withoutInventedLastStep", () => {
  it("drops a last multiplication or division by a number the request does not write", () => {
    const request = "Please use the calculator: at 148 yen per US dollar, how many yen is 300 dollars?";
    expect(withoutInventedLastStep({ expression: "300 * 148 / 1000" }, request)).toEqual({ expression: "300 * 148" });
    expect(withoutInventedLastStep({ expression: "300 * 148 / 1000000000000" }, request)).toEqual({
      expression: "300 * 148",
    });
    expect(withoutInventedLastStep({ expression: "300 * 148" }, request)).toEqual({ expression: "300 * 148" });
  });

  it("keeps a conversion of one number, a step with a written number, and text that is not arithmetic", () => {
    expect(withoutInventedLastStep({ expression: "5 * 1000" }, "5 km in metres")).toEqual({ expression: "5 * 1000" });
    expect(withoutInventedLastStep({ e: "2100 / 7 * 100" }, "2100 dollars over 7 days")).toEqual({
      e: "2100 / 7 * 100",
    });
    expect(withoutInventedLastStep({ e: "15 * 80 / 100" }, "What is 15% of 80?")).toEqual({ e: "15 * 80 / 100" });
    expect(withoutInventedLastStep({ e: "(10 + 20 + 30) / 3" }, "average of 10, 20 and 30")).toEqual({
      e: "(10 + 20 + 30) / 3",
    });
    expect(withoutInventedLastStep({ e: "12 * 7 / 2" }, "12 times 7, halved: / 2")).toEqual({ e: "12 * 7 / 2" });
    expect(withoutInventedLastStep({ e: "12 * 7 / 60" }, "12 times 7 in hours, i.e. over 60")).toEqual({
      e: "12 * 7 / 60",
    });
    expect(withoutInventedLastStep({ city: "Route 66 / 1000" }, "Route 66")).toEqual({ city: "Route 66 / 1000" });
  });
});

describe("withListItemsApart", () => {
  it("takes apart two neighbouring list items the model ran together, and nothing else", () => {
    expect(withListItemsApart({ number: 510 }, "the factorial of 5,10 and 15")).toEqual({ number: 5 });
    expect(withListItemsApart({ years: 15, rate: 0.05 }, "at 5% for 1,5 and 10 years")).toEqual({
      years: 1,
      rate: 0.05,
    });
    expect(withListItemsApart({ number: 15 }, "the factorial of 5,10 and 15")).toEqual({ number: 15 });
    expect(withListItemsApart({ total: 1520 }, "1520 dollars for 15, 20 and 30 years")).toEqual({ total: 1520 });
    expect(withListItemsApart({ n: 510 }, "what is 510 divided by 3?")).toEqual({ n: 510 });
  });
});

describe("callsForListedNumbers", () => {
  it("repeats a call for each number of a list it used one of", () => {
    const request = "A loan of $400,000 at 4% for a term of 15, 20 and 30 years";
    const first = { arguments: { amount: 400000, term: 15 } };
    expect(numericLists(request)).toEqual([["15", "20", "30"]]);
    expect(callsForListedNumbers(first, [first], request)).toEqual([
      { amount: 400000, term: 20 },
      { amount: 400000, term: 30 },
    ]);
    const all = [first, { arguments: { amount: 400000, term: 20 } }, { arguments: { amount: 400000, term: 30 } }];
    expect(callsForListedNumbers(first, all, request)).toEqual([]);
    expect(numericLists("the factorial of 5,10 and 15")).toEqual([["5", "10", "15"]]);
    expect(callsForListedNumbers({ arguments: { days: 3 } }, [], "el tiempo para 3 o 5 días")).toEqual([{ days: 5 }]);
  });

  it("expands each combination once, and leaves a call that takes two items of the list alone", () => {
    const request = "Winning percentage of the Lakers and the Bulls in the 2018 and 2020 seasons";
    const lakers = { arguments: { team: "Lakers", season: 2018 } };
    const lakers2020 = { arguments: { team: "Lakers", season: 2020 } };
    const bulls = { arguments: { team: "Bulls", season: 2018 } };
    expect(callsForListedNumbers(lakers, [lakers], request)).toEqual([{ team: "Lakers", season: 2020 }]);
    expect(callsForListedNumbers(bulls, [lakers, lakers2020, bulls], request)).toEqual([
      { team: "Bulls", season: 2020 },
    ]);
    const sides = { arguments: { a: 3, b: 4 } };
    expect(callsForListedNumbers(sides, [sides], "The hypotenuse for sides 3 and 4, 5 and 12")).toEqual([]);
  });

  it("sees no list in a single number, a thousands mark, a decimal comma, numbers in separate phrases, or an expression", () => {
    expect(numericLists("el interés compuesto de 1000 euros al 2,5% anual durante 3 años")).toEqual([]);
    expect(numericLists("400,000 dollars over 30 years")).toEqual([]);
    expect(numericLists("What is 12 * 7?")).toEqual([]);
    expect(numericLists("100 USD to EUR and the weather in Paris")).toEqual([]);
    const expression = { arguments: { expression: "17 * 23" } };
    expect(callsForListedNumbers(expression, [], "¿Cuánto es 17 por 23 y 5 más 3?")).toEqual([]);
  });
});
