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

  it("drops an item a free list adds only when two others are named", () => {
    const text = "a vegetarian pasta with cheese";
    expect(withGroundedListItems({ ingredients: ["Pasta", "Cheese", "Tomato"] }, amenities, text)).toEqual({
      ingredients: ["Pasta", "Cheese"],
    });
    const codes = { ingredients: ["EUR", "MXN", "JPY"] };
    expect(withGroundedListItems(codes, amenities, "100 dollars in euros, pesos and yen")).toBe(codes);
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

  it("leaves numbers the request writes, and those with other digits", () => {
    const args = { payout: 50, shares: 7_000_000 };
    expect(withScaleFromRequest(args, "a payout of 50 million for 50 shares")).toBe(args);
  });
});

describe("withCompassSigns", () => {
  it("makes west and south negative, in arrays too", () => {
    expect(withCompassSigns({ coord: [33.4484, 112.074], lat: 33.9 }, "(33.4484 N, 112.0740 W) and 33.9° S")).toEqual({
      coord: [33.4484, -112.074],
      lat: -33.9,
    });
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

  it("keeps values inside words and strings that would be left without letters", () => {
    const args = { title: "Madrid 2021", year: "2021 Madrid" };
    expect(withoutOtherArgumentValues({ name: "Season 20", id: "20" })).toEqual({ name: "Season", id: "20" });
    expect(withoutOtherArgumentValues({ code: "A12", id: "12" })).toEqual({ code: "A12", id: "12" });
    expect(withoutOtherArgumentValues(args)).toBe(args);
  });
});

describe("repairedArguments", () => {
  it("returns the same object when nothing needs repair", () => {
    const args = { city: "Tokyo", days: 3 };
    expect(repairedArguments(args, undefined, "weather in Tokyo for three days")).toBe(args);
  });
});
