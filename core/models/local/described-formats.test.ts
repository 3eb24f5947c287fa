import { describe, expect, it } from "vitest";
import { parseDate, withDescribedFormats } from "./described-formats.ts";

const prop = (description: string, type = "string") => ({ type, description });

describe("parseDate", () => {
  it("reads numeric year-first dates and dates in words", () => {
    expect(parseDate("2022/08/16")).toEqual({ year: 2022, month: 8, day: 16 });
    expect(parseDate("10th December 2022")).toEqual({ year: 2022, month: 12, day: 10 });
    expect(parseDate("Jun.20,2023")).toEqual({ year: 2023, month: 6, day: 20 });
    expect(parseDate("1 de junio de 2022")).toEqual({ year: 2022, month: 6, day: 1 });
  });

  it("refuses what is not a whole date", () => {
    expect(parseDate("next Friday")).toBeUndefined();
    expect(parseDate("2022/13/01")).toBeUndefined();
    expect(parseDate("June 2022")).toBeUndefined();
  });
});

describe("withDescribedFormats", () => {
  it("writes a date in the described pattern, and a date in words as ISO", () => {
    const schema = { properties: { date: prop("The date (month-day-year)."), start_date: prop("The start date.") } };
    expect(withDescribedFormats({ date: "2022/08/16", start_date: "10th December 2022" }, schema, "")).toEqual({
      date: "08-16-2022",
      start_date: "2022-12-10",
    });
    const iso = { date: "2022-12-10" };
    expect(withDescribedFormats(iso, { properties: { date: prop("A date.") } }, "")).toBe(iso);
  });

  it("adds the state to a known US city when the description asks for city and state", () => {
    const schema = { properties: { location: prop("The city and state, e.g. Boston, MA"), city: prop("A city.") } };
    expect(withDescribedFormats({ location: "Chicago", city: "Chicago" }, schema, "")).toEqual({
      location: "Chicago, IL",
      city: "Chicago",
    });
    const unknown = { location: "Springfield" };
    expect(withDescribedFormats(unknown, schema, "")).toBe(unknown);
    // A name several states share, and a description that asks for no state.
    expect(withDescribedFormats({ location: "Cambridge" }, schema, "")).toEqual({ location: "Cambridge" });
    const abroad = { properties: { location: prop("The city, e.g. London, UK") } };
    expect(withDescribedFormats({ location: "Chicago" }, abroad, "")).toEqual({ location: "Chicago" });
  });

  it("fills a missing unit the request states, in the description's or enum's form", () => {
    const schema = { properties: { radius: prop("", "number"), unit: prop("The unit. Defaults to 'cm'.") } };
    expect(withDescribedFormats({ radius: 4 }, schema, "a radius of 4 inches")).toEqual({ radius: 4, unit: "inches" });
    expect(withDescribedFormats({ radius: 4 }, schema, "a radius of 4 centimeters")).toEqual({ radius: 4, unit: "cm" });
    const enumSchema = { properties: { units: { type: "string", enum: ["km", "miles"] } } };
    expect(withDescribedFormats({}, enumSchema, "the distance in kilometers")).toEqual({ units: "km" });
  });

  it("fills no unit when the request names none, or several, or the unit is of another quantity", () => {
    const schema = { properties: { unit: prop("Unit of the result, default km/h.") } };
    const args = { distance: 50 };
    expect(withDescribedFormats(args, schema, "50 kilometers in 2 hours")).toBe(args);
    const plain = { properties: { unit: prop("The unit.") } };
    expect(withDescribedFormats(args, plain, "from 5 miles to 8 kilometers")).toBe(args);
    expect(withDescribedFormats(args, plain, "the weather in Miami")).toBe(args);
    expect(withDescribedFormats(args, plain, "wake me at 4 in the morning")).toBe(args);
    expect(withDescribedFormats(args, plain, "how many 5g towers")).toBe(args);
    const update = { update: "10th December 2022" };
    expect(withDescribedFormats(update, { properties: { update: prop("What to validate.") } }, "")).toBe(update);
  });
});
