import { describe, expect, it } from "vitest";
import { matchCalls, standardizeString, type FunctionSpec } from "./ast-match.ts";

const area: FunctionSpec = {
  name: "calculate_triangle_area",
  parameters: {
    properties: { base: { type: "integer" }, height: { type: "integer" }, unit: { type: "string" } },
    required: ["base", "height"],
  },
};
const circle: FunctionSpec = {
  name: "circle_area",
  parameters: { properties: { radius: { type: "float" } }, required: ["radius"] },
};
const stock: FunctionSpec = {
  name: "get_stock",
  parameters: { properties: { symbols: { type: "array" }, options: { type: "dict" } }, required: ["symbols"] },
};
const areaTruth = [{ calculate_triangle_area: { base: [10], height: [5], unit: ["units", ""] } }];

describe("BFCL AST match", () => {
  it("passes an exact call and one that leaves out an optional parameter", () => {
    expect(
      matchCalls([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5, unit: "units" } }], areaTruth, [
        area,
      ]).pass,
    ).toBe(true);
    expect(
      matchCalls([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5 } }], areaTruth, [area]).pass,
    ).toBe(true);
  });

  it("compares strings as BFCL standardizes them: no white space, no , . / - _ * ^, any case", () => {
    expect(standardizeString("April 1, 2024")).toBe(standardizeString("april 1 2024"));
    expect(standardizeString("plasma_membrane")).toBe(standardizeString("Plasma membrane"));
    expect(standardizeString("3x^2 + 2x - 1")).toBe(standardizeString("3x**2 + 2x - 1"));
    expect(standardizeString("'a'")).toBe('"a"');
    expect(standardizeString("New York")).not.toBe(standardizeString("New York, NY"));
    expect(standardizeString("2022/08/16")).not.toBe(standardizeString("08-16-2022"));
    expect(
      matchCalls(
        [{ name: "calculate_triangle_area", arguments: { base: 10, height: 5, unit: "  UNITS " } }],
        areaTruth,
        [area],
      ).pass,
    ).toBe(true);
    expect(
      matchCalls([{ name: "calculate_triangle_area", arguments: { base: 10, height: 5, unit: "cm" } }], areaTruth, [
        area,
      ]).pass,
    ).toBe(false);
  });

  it("fails a wrong function, a missing required parameter, a wrong value and an unknown parameter", () => {
    const cases = [
      [{ name: "triangle_area", arguments: { base: 10, height: 5 } }, /called triangle_area/],
      [{ name: "calculate_triangle_area", arguments: { base: 10 } }, /missing required parameter "height"/],
      [{ name: "calculate_triangle_area", arguments: { base: 10, height: 6 } }, /"height": 6 is not among \[5\]/],
      [
        { name: "calculate_triangle_area", arguments: { base: 10, height: 5, colour: "red" } },
        /unknown parameter "colour"/,
      ],
    ] as const;
    for (const [call, reason] of cases) {
      const result = matchCalls([call], areaTruth, [area]);
      expect(result.pass).toBe(false);
      expect(result.reason).toMatch(reason);
    }
  });

  it("accepts an integer for a float and compares numbers by value, but never coerces strings", () => {
    const truth = [{ circle_area: { radius: [5.0] } }];
    expect(matchCalls([{ name: "circle_area", arguments: { radius: 5 } }], truth, [circle]).pass).toBe(true);
    expect(matchCalls([{ name: "circle_area", arguments: { radius: "5" } }], truth, [circle]).reason).toMatch(
      /not of type float/,
    );
    expect(
      matchCalls([{ name: "calculate_triangle_area", arguments: { base: 10.5, height: 5 } }], areaTruth, [area]).reason,
    ).toMatch(/not of type integer/);
  });

  it("matches parallel calls in any order, one to one", () => {
    const truth = [{ circle_area: { radius: [5] } }, { circle_area: { radius: [10] } }];
    const inOrder = [
      { name: "circle_area", arguments: { radius: 5 } },
      { name: "circle_area", arguments: { radius: 10 } },
    ];
    expect(matchCalls(inOrder, truth, [circle]).pass).toBe(true);
    expect(matchCalls([...inOrder].reverse(), truth, [circle]).pass).toBe(true);
    expect(matchCalls([inOrder[0]!, inOrder[0]!], truth, [circle]).pass).toBe(false);
    expect(matchCalls([inOrder[0]!], truth, [circle]).reason).toMatch(/expected 2 call\(s\), got 1/);
  });

  it("compares lists element-wise and nested dicts key by key", () => {
    const truth = [
      {
        get_stock: {
          symbols: [["AAPL", "MSFT"]],
          options: [{ currency: ["usd", "USD"], exchange: ["", "NASDAQ"] }, ""],
        },
      },
    ];
    const call = (argumentsOfCall: Record<string, unknown>) =>
      matchCalls([{ name: "get_stock", arguments: argumentsOfCall }], truth, [stock]);
    expect(call({ symbols: ["aapl", "msft"] }).pass).toBe(true);
    expect(call({ symbols: ["MSFT", "AAPL"] }).pass).toBe(false);
    expect(call({ symbols: ["AAPL", "MSFT"], options: { currency: "USD" } }).pass).toBe(true);
    expect(call({ symbols: ["AAPL", "MSFT"], options: { currency: "EUR" } }).pass).toBe(false);
    expect(call({ symbols: ["AAPL", "MSFT"], options: { currency: "USD", extra: 1 } }).pass).toBe(false);
  });

  it("passes irrelevance only when nothing is called", () => {
    expect(matchCalls([], [], [area]).pass).toBe(true);
    expect(matchCalls([{ name: "calculate_triangle_area", arguments: { base: 1, height: 1 } }], [], [area]).pass).toBe(
      false,
    );
  });
});
