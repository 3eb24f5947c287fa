import { describe, expect, it } from "vitest";
import { withSymbolOperators } from "./spoken-operators.ts";

describe("withSymbolOperators", () => {
  it("writes Spanish products and quotients between numbers as symbols", () => {
    expect(withSymbolOperators("¿Cuánto es 17 por 23?")).toBe("¿Cuánto es 17 * 23?");
    expect(withSymbolOperators("Calcula 120 entre 8")).toBe("Calcula 120 / 8");
    expect(withSymbolOperators("250 dividido entre 8")).toBe("250 / 8");
    expect(withSymbolOperators("3,5 multiplicado por 4")).toBe("3,5 * 4");
    expect(withSymbolOperators("¿Cuánto es 2 por 3 por 4?")).toBe("¿Cuánto es 2 * 3 * 4?");
    expect(withSymbolOperators("12 x 7")).toBe("12 * 7");
  });

  it("leaves words that are no operator between two numbers", () => {
    for (const text of [
      "Hazlo por favor",
      "Sube un 10 por ciento",
      "el 3 por 100 de 200",
      "Entre 2020 y 2024, ¿cuánto subió?",
      "Reparte 40 euros entre 4 amigos",
      "What is 12 times 7?",
    ])
      expect(withSymbolOperators(text)).toBe(text);
  });
});
