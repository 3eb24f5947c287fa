import { describe, expect, it } from "vitest";
import { bringsNewValue, groundedValues, withoutInventedOptionals } from "./grounded-values.ts";

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
});
