import { foldText } from "../../language/compare-words.ts";
import { escapeRegExp } from "../../language/escape-regexp.ts";

type Schema = { properties?: Record<string, unknown>; required?: readonly string[] } | undefined;
type Args = Record<string, unknown>;

/**
 * Values put in the form the parameter's description asks for, and a unit the request states but the
 * call left out: a date as the description's pattern ("month-day-year", "YYYY-MM-DD"; a date written
 * in words becomes YYYY-MM-DD when no pattern is given), a US city as "City, ST" when the description
 * asks for "the city and state", and a missing `unit` filled from "4 inches", "in miles".
 */
export function withDescribedFormats(args: Args, schema: Schema, requestText: string): Args {
  const properties = schema?.properties ?? {};
  const result: Args = { ...args };
  let changed = false;
  for (const [name, value] of Object.entries(args)) {
    const description = descriptionOf(properties[name]);
    const next =
      typeof value !== "string"
        ? value
        : (asDescribedDate(name, value, description) ?? withStateCode(value, description) ?? value);
    if (next !== value) {
      result[name] = next;
      changed = true;
    }
  }
  const unit = missingUnit(args, properties, requestText);
  if (unit) {
    result[unit.name] = unit.value;
    changed = true;
  }
  return changed ? result : args;
}

const monthNames: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  ene: 1,
  abr: 4,
  ago: 8,
  dic: 12,
};

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A date written as numbers year first ("2022/08/16") or in words ("10th December 2022", "Jun.20,2023", "1 de junio de 2022"). */
export function parseDate(text: string): CalendarDate | undefined {
  const trimmed = text.trim();
  const yearFirst = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(trimmed);
  if (yearFirst) return valid(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const words = foldText(trimmed)
    .replace(/(\d+)(?:st|nd|rd|th|º)\b/g, "$1")
    .split(/[^a-z0-9]+/)
    .filter((word) => word && word !== "de" && word !== "of" && word !== "del");
  if (words.length !== 3) return undefined;
  const monthIndex = words.findIndex((word) => /^[a-z]{3,}$/.test(word) && monthNames[word.slice(0, 3)] !== undefined);
  if (monthIndex < 0) return undefined;
  const numbers = words.filter((_, index) => index !== monthIndex).map(Number);
  const year = numbers.find((number) => number >= 1000);
  const day = numbers.find((number) => number >= 1 && number <= 31);
  if (year === undefined || day === undefined) return undefined;
  return valid(year, monthNames[words[monthIndex]!.slice(0, 3)]!, day);
}

function valid(year: number, month: number, day: number): CalendarDate | undefined {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? { year, month, day } : undefined;
}

const datePatterns: [RegExp, (date: CalendarDate) => string][] = [
  [/\byyyy-mm-dd\b|\byear-month-day\b/i, (date) => `${date.year}-${pad(date.month)}-${pad(date.day)}`],
  [/\bmm-dd-yyyy\b|\bmonth-day-year\b/i, (date) => `${pad(date.month)}-${pad(date.day)}-${date.year}`],
  [/\bdd-mm-yyyy\b|\bday-month-year\b/i, (date) => `${pad(date.day)}-${pad(date.month)}-${date.year}`],
  [/\byyyy\/mm\/dd\b/i, (date) => `${date.year}/${pad(date.month)}/${pad(date.day)}`],
  [/\bmm\/dd\/yyyy\b/i, (date) => `${pad(date.month)}/${pad(date.day)}/${date.year}`],
  [/\bdd\/mm\/yyyy\b/i, (date) => `${pad(date.day)}/${pad(date.month)}/${date.year}`],
];

/** A date value in the description's pattern; one written in words as YYYY-MM-DD when no pattern is given. */
function asDescribedDate(name: string, value: string, description: string): string | undefined {
  const pattern = datePatterns.find(([format]) => format.test(description));
  if (!pattern && !/(?:^|[^a-z])(?:date|fecha)(?:$|[^a-z])/i.test(`${name} ${description}`)) return undefined;
  const date = parseDate(value);
  if (!date) return undefined;
  if (pattern) return pattern[1](date);
  return /[a-z]/i.test(value) ? datePatterns[0]![1](date) : undefined;
}

function pad(number: number): string {
  return String(number).padStart(2, "0");
}

/**
 * The largest US cities and their states, for parameters described as "the city and state". Names that
 * several states share (Portland, Cambridge, Columbus, Richmond, Washington…) are left out.
 */
const stateOfCity: Record<string, string> = {
  "new york": "NY",
  "new york city": "NY",
  "los angeles": "CA",
  chicago: "IL",
  houston: "TX",
  phoenix: "AZ",
  philadelphia: "PA",
  "san antonio": "TX",
  "san diego": "CA",
  dallas: "TX",
  "san jose": "CA",
  austin: "TX",
  jacksonville: "FL",
  "fort worth": "TX",
  charlotte: "NC",
  "san francisco": "CA",
  indianapolis: "IN",
  seattle: "WA",
  denver: "CO",
  boston: "MA",
  "el paso": "TX",
  nashville: "TN",
  detroit: "MI",
  "oklahoma city": "OK",
  "las vegas": "NV",
  memphis: "TN",
  louisville: "KY",
  baltimore: "MD",
  milwaukee: "WI",
  albuquerque: "NM",
  tucson: "AZ",
  fresno: "CA",
  sacramento: "CA",
  "kansas city": "MO",
  atlanta: "GA",
  miami: "FL",
  raleigh: "NC",
  omaha: "NE",
  minneapolis: "MN",
  tulsa: "OK",
  cleveland: "OH",
  "new orleans": "LA",
  tampa: "FL",
  orlando: "FL",
  pittsburgh: "PA",
  cincinnati: "OH",
  "st. louis": "MO",
  "saint louis": "MO",
  "salt lake city": "UT",
  honolulu: "HI",
  anchorage: "AK",
  "palo alto": "CA",
  berkeley: "CA",
  oakland: "CA",
  "santa clara": "CA",
  "mountain view": "CA",
  "san mateo": "CA",
  brooklyn: "NY",
  buffalo: "NY",
  "salt lake": "UT",
  "santa monica": "CA",
  "long beach": "CA",
  "ann arbor": "MI",
  boulder: "CO",
};

/** "Chicago" as "Chicago, IL" when the description asks for the city and state ("e.g. Boston, MA"). */
function withStateCode(value: string, description: string): string | undefined {
  // "The city and state, e.g. Boston, MA": the description must say "state" ("e.g. London, UK" does not).
  const asksForState = /\bstate\b/i.test(description) && /\bcity\b/i.test(description);
  if (!asksForState || value.includes(",")) return undefined;
  const state = stateOfCity[value.trim().toLowerCase()];
  return state ? `${value.trim()}, ${state}` : undefined;
}

/** Units by kind, each with the words that name it; the first is how it is written when no enum decides. */
const unitWords: string[][] = [
  ["inches", "inch"],
  ["feet", "foot", "ft"],
  ["yards", "yard", "yd"],
  ["miles", "mile", "mi"],
  ["meters", "meter", "metres", "metre", "metros"],
  ["kilometers", "kilometer", "kilometres", "kilometre", "kilómetros", "km"],
  ["centimeters", "centimeter", "centimetres", "centímetros", "cm"],
  ["millimeters", "millimeter", "millimetres", "milímetros", "mm"],
  ["kilograms", "kilogram", "kilos", "kilogramos", "kg"],
  ["grams", "gram", "gramos"],
  ["pounds", "pound", "lbs", "lb"],
  ["ounces", "ounce", "oz"],
  ["celsius", "centigrade", "°c"],
  ["fahrenheit", "°f"],
  ["kelvin"],
  ["liters", "liter", "litres", "litre", "litros"],
  ["gallons", "gallon", "gal"],
];

/**
 * The unit a request states ("a radius of 4 inches", "the distance in miles") for a `unit` or `units`
 * parameter the call left out; only when the request names exactly one unit, after a number or "in".
 */
function missingUnit(
  args: Args,
  properties: Record<string, unknown>,
  requestText: string,
): { name: string; value: string } | undefined {
  const name = ["unit", "units"].find((candidate) => candidate in properties && !(candidate in args));
  if (!name) return undefined;
  const description = descriptionOf(properties[name]);
  // "The unit to return the velocity in (default km/h)": the request's units are its quantities' own.
  if (/\b[a-z]+\/[a-z]+\b|\bmph\b/i.test(description)) return undefined;
  const lowered = requestText.toLowerCase();
  const stated = unitWords.filter((words) =>
    words.some((word) => new RegExp(`(?:\\d\\s*|\\bin |\\ben )${escapeRegExp(word)}(?![\\p{L}])`, "u").test(lowered)),
  );
  if (stated.length !== 1) return undefined;
  const words = stated[0]!;
  const property = properties[name] as { enum?: unknown } | undefined;
  if (Array.isArray(property?.enum)) {
    const match = property.enum.find((item) => typeof item === "string" && words.includes(item.toLowerCase()));
    return typeof match === "string" ? { name, value: match } : undefined;
  }
  // The form the description uses ("Defaults to 'cm'"), else the request's own, else the full name.
  const described = words.find((word) =>
    new RegExp(`'${escapeRegExp(word)}'|"${escapeRegExp(word)}"|\\b${escapeRegExp(word)}\\b`, "iu").test(description),
  );
  const written = words.find((word) =>
    new RegExp(`(?:\\d\\s*|\\bin |\\ben )${escapeRegExp(word)}(?![\\p{L}])`, "u").test(lowered),
  );
  return { name, value: described ?? (written && written.length > 2 ? written : words[0]!) };
}

function descriptionOf(property: unknown): string {
  if (typeof property !== "object" || property === null) return "";
  const description = (property as { description?: unknown }).description;
  return typeof description === "string" ? description : "";
}
