import { describe, expect, it } from "vitest";
import { scaledNumbers, spokenNumbers } from "./number-words.ts";

describe("spokenNumbers", () => {
  it("reads English and Spanish number words, compounds included", () => {
    expect(spokenNumbers("Find ten events over the next three days")).toEqual([10, 3]);
    expect(spokenNumbers("twenty-five or twenty five, and a dozen eggs")).toEqual([25, 25, 12]);
    expect(spokenNumbers("treinta y dos personas, veintitrés mesas", "es")).toEqual([32, 23]);
  });

  it("reads hundreds and thousands as one number", () => {
    expect(spokenNumbers("two hundred and five guests, a hundred chairs")).toEqual([205, 100]);
    expect(spokenNumbers("three thousand people, twenty-one thousand five hundred")).toEqual([3000, 21_500]);
    expect(spokenNumbers("doscientos treinta y dos euros, dos mil quinientos, mil gracias", "es")).toEqual([
      232, 2500, 1000,
    ]);
  });

  it("reads 'once' as eleven only in Spanish", () => {
    expect(spokenNumbers("I went there once")).toEqual([]);
    expect(spokenNumbers("once días", "es")).toEqual([11]);
  });

  it("finds nothing in text without number words", () => {
    expect(spokenNumbers("What is the weather in Tokyo?")).toEqual([]);
  });
});

describe("scaledNumbers", () => {
  it("multiplies by the scale word", () => {
    expect(scaledNumbers("213 million people on 8.5 million square kilometers")).toEqual([213_000_000, 8_500_000]);
    expect(scaledNumbers("50 mil euros y 3 mil millones de dólares")).toEqual([50_000, 3_000_000_000]);
    expect(scaledNumbers("a $2.5bn deal, 1,5 millones")).toEqual([2_500_000_000, 1_500_000]);
  });

  it("leaves units alone", () => {
    expect(scaledNumbers("run 5 m, then 10 mm")).toEqual([]);
  });
});
