import { describe, expect, it } from "vitest";
import { messageParts } from "./message-parts.ts";

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
