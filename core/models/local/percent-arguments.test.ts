import { describe, expect, it } from "vitest";
import { percentagesAsFractions } from "./percent-arguments.ts";

const schema = {
  properties: {
    principal: { type: "integer", description: "The amount." },
    rate: { type: "float", description: "The annual interest rate." },
    yield: { type: "number", description: "The yearly yield as a percentage." },
    growth: { type: "number", description: "Growth rate as a decimal. E.g. 5% is 0.05" },
    years: { type: "integer", description: "Years." },
  },
};

describe("percentagesAsFractions", () => {
  it("passes a rate the request writes as a percentage as a fraction", () => {
    const request = "Invest $5000 at an annual interest rate of 5% and growth of 3.5 percent for 10 years";
    expect(percentagesAsFractions({ principal: 5000, rate: 5, growth: 3.5, years: 10 }, schema, request)).toEqual({
      principal: 5000,
      rate: 0.05,
      growth: 0.035,
      years: 10,
    });
  });

  it("keeps a parameter that asks for a percentage, an integer one, and numbers written without %", () => {
    const tip = { properties: { bill: { type: "number" }, tip_percent: { type: "number" } } };
    expect(percentagesAsFractions({ bill: 5, tip_percent: 5 }, tip, "A 5% tip on a $5 bill")).toEqual({
      bill: 5,
      tip_percent: 5,
    });
    expect(percentagesAsFractions({ rate: 2.5 }, schema, "al 2,5% anual")).toEqual({ rate: 0.025 });
    expect(percentagesAsFractions({ yield: 7 }, schema, "a yield of 7%")).toEqual({ yield: 7 });
    expect(percentagesAsFractions({ years: 5 }, schema, "5% for 5 years")).toEqual({ years: 5 });
    expect(percentagesAsFractions({ rate: 5 }, schema, "a rate of 5")).toEqual({ rate: 5 });
    expect(percentagesAsFractions({ rate: 0.05 }, schema, "un interés del 5 por ciento")).toEqual({ rate: 0.05 });
    expect(percentagesAsFractions({ rate: 5 }, schema, "un interés del 5 por ciento")).toEqual({ rate: 0.05 });
  });
});
