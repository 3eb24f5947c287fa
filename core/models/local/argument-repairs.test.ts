import { describe, expect, it } from "vitest";
import {
  repairedArguments,
  withCompassSigns,
  withGroundedListItems,
  withoutOtherArgumentValues,
  withScaleFromRequest,
} from "./argument-repairs.ts";

const amenities = {
  properties: {
    amenities: {
      type: "array",
      items: { type: "string", enum: ["Patio", "Wi-Fi", "Happy Hour", "Wheelchair Accessible"] },
    },
    ingredients: { type: "array", items: { type: "string" } },
  },
};

describe("withGroundedListItems", () => {
  it("keeps only the enum values the request names when the whole enum was copied", () => {
    const args = { amenities: ["Patio", "Wi-Fi", "Happy Hour", "Wheelchair Accessible"] };
    expect(withGroundedListItems(args, amenities, "The closest sushi place with a patio in Boston")).toEqual({
      amenities: ["Patio"],
    });
  });

  it("reads plurals and short words whole ('toll roads', 'free Wi-Fi')", () => {
    const schema = { properties: { avoid: { type: "array", items: { enum: ["tolls", "highways", "ferries"] } } } };
    expect(withGroundedListItems({ avoid: ["tolls", "highways", "ferries"] }, schema, "avoid toll roads")).toEqual({
      avoid: ["tolls"],
    });
    expect(withGroundedListItems({ amenities: ["Patio", "Wi-Fi", "Happy Hour"] }, amenities, "free Wi-Fi")).toEqual({
      amenities: ["Wi-Fi"],
    });
  });

  it("leaves a chosen part of an enum, a list the request names whole, and unnamed lists alone", () => {
    const args = { amenities: ["Patio", "Happy Hour"] };
    expect(withGroundedListItems(args, amenities, "a bar with a patio")).toBe(args);
    const all = { amenities: ["Patio", "Wi-Fi", "Happy Hour", "Wheelchair Accessible"] };
    expect(withGroundedListItems(all, amenities, "somewhere nice")).toBe(all);
  });

  it("leaves free lists alone: their items may be named in other words", () => {
    const codes = { ingredients: ["EUR", "GBP", "JPY"] };
    expect(withGroundedListItems(codes, amenities, "Convert 100 USD to euros, GBP and JPY")).toBe(codes);
    const added = { ingredients: ["Pasta", "Cheese", "Tomato"] };
    expect(withGroundedListItems(added, amenities, "a vegetarian pasta with cheese")).toBe(added);
  });
});

describe("withScaleFromRequest", () => {
  it("puts a scaled number back at its scale", () => {
    const text = "population 213 million, land area 8.5 million square kilometers";
    expect(withScaleFromRequest({ population: 213_000_000, land_area: 850_000_000 }, text)).toEqual({
      population: 213_000_000,
      land_area: 8_500_000,
    });
  });

  it("leaves numbers the request writes, those with other digits, and small numbers such as rates", () => {
    const args = { payout: 50, shares: 7_000_000 };
    expect(withScaleFromRequest(args, "a payout of 50 million for 50 shares")).toBe(args);
    const rate = { rate: 0.15, principal: 1_500_000 };
    expect(withScaleFromRequest(rate, "a 1.5 million loan at 15%")).toBe(rate);
    const invest = { amount: 8_500_000, rate: 0.085 };
    expect(withScaleFromRequest(invest, "Invest 8.5 million at 8.5%")).toBe(invest);
  });
});

describe("withCompassSigns", () => {
  it("makes west and south coordinates negative, in arrays too", () => {
    const text = "(33.4484 N, 112.0740 W) and (33.9° S, 151.2 E)";
    expect(withCompassSigns({ coord: [33.4484, 112.074], lat: 33.9, lon: 151.2 }, text)).toEqual({
      coord: [33.4484, -112.074],
      lat: -33.9,
      lon: 151.2,
    });
  });

  it("leaves numbers that are no coordinates, and coordinates written with N or E too", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ year: 1990 }, "songs from the 1990s"],
      [{ seconds: 30 }, "Set a timer for 30 s"],
      [{ watts: 60 }, "a 60 W bulb, 10 N"],
      [{ lat: 10, lon: 10 }, "10 N, 10 W"],
      [{ count: 112.074 }, "(33.4484 N, 112.0740 W)"],
    ];
    for (const [args, text] of cases) expect(withCompassSigns(args, text)).toBe(args);
  });
});

describe("withoutOtherArgumentValues", () => {
  it("takes another argument's value off the start or end of a string", () => {
    expect(withoutOtherArgumentValues({ tournament: "La Liga 2020-2021", season: "2020-2021" })).toEqual({
      tournament: "La Liga",
      season: "2020-2021",
    });
    expect(withoutOtherArgumentValues({ league: "2021 La Liga", season: 2021 })).toEqual({
      league: "La Liga",
      season: 2021,
    });
  });

  it("takes out years only, and keeps strings that would be left without letters", () => {
    for (const args of [
      { query: "hotels in Paris", location: "Paris" },
      { message: "Happy birthday John", to: "John" },
      { mission: "Apollo 11", crew: 11 },
      { title: "2021", year: "2021" },
      { code: "A2021", year: 2021 },
    ])
      expect(withoutOtherArgumentValues(args)).toBe(args);
  });
});

describe("repairedArguments", () => {
  it("returns the same object when nothing needs repair", () => {
    const args = { city: "Tokyo", days: 3 };
    expect(repairedArguments(args, undefined, "weather in Tokyo for three days")).toBe(args);
  });
});
