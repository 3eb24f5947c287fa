import { describe, expect, it } from "vitest";
import { listsSeveralThings, messageParts } from "./message-parts.ts";

describe("messageParts", () => {
  it("splits requests joined by punctuation or a joining word, in English and Spanish", () => {
    expect(messageParts("What's the weather in Rome, and how much is 100 dollars in euros?")).toEqual([
      "What's the weather in Rome",
      "how much is 100 dollars in euros",
    ]);
    expect(messageParts("Calcula el 20% de 150 y dime el tiempo en Zaragoza")).toEqual([
      "Calcula el 20% de 150",
      "dime el tiempo en Zaragoza",
    ]);
  });

  it("leaves out short parts that lean on the one before", () => {
    expect(messageParts("Convert 100 dollars to euros and yen")).toEqual(["Convert 100 dollars to euros"]);
    expect(messageParts("¿Hoy llueve?")).toEqual([]);
  });
});

describe("listsSeveralThings", () => {
  it("sees lists joined by a word or a comma, in English and Spanish", () => {
    expect(listsSeveralThings("What's the weather in Tokyo and Paris?")).toBe(true);
    expect(listsSeveralThings("¿Qué tiempo hace en Madrid y en Lima?")).toBe(true);
    expect(listsSeveralThings("Area of circles of radius 3, 5 or 7")).toBe(true);
  });

  it("sees no list in one request, nor in decimal and thousands commas", () => {
    expect(listsSeveralThings("What is 18% of 250?")).toBe(false);
    expect(listsSeveralThings("¿Cuánto es 3,5 al cuadrado?")).toBe(false);
    expect(listsSeveralThings("Convert 1,250 USD to EUR")).toBe(false);
  });
});
