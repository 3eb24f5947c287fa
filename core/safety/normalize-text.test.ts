import { describe, expect, it } from "vitest";
import { normalizeForSafety } from "./normalize-text.ts";

describe("normalizeForSafety", () => {
  it("drops invisible characters and folds compatibility forms", () => {
    expect(normalizeForSafety("ki\u200Bll\u00ADing")).toBe("killing");
    expect(normalizeForSafety("ｂｏｍｂ")).toBe("bomb");
    expect(normalizeForSafety("\u202Eevil\u202C text")).toBe("evil text");
  });

  it("maps Cyrillic and Greek look-alikes to Latin letters", () => {
    expect(normalizeForSafety("ехрlоѕivе")).toBe("explosive");
    expect(normalizeForSafety("ρoisοn")).toBe("poison");
  });

  it("reads leetspeak inside words and joins spelled-out letters, but leaves numbers alone", () => {
    expect(normalizeForSafety("how to m4k3 a b0mb")).toBe("how to make a bomb");
    expect(normalizeForSafety("h@ck my ex's 3mail")).toBe("hack my ex's email");
    expect(normalizeForSafety("k.i.l.l him")).toBe("kill him");
    expect(normalizeForSafety("b o m b")).toBe("bomb");
    expect(normalizeForSafety("Convert 100 USD to EUR in 2024, 3.5 % of 17")).toBe(
      "Convert 100 USD to EUR in 2024, 3.5 % of 17",
    );
  });

  it("keeps Spanish accents and ñ", () => {
    expect(normalizeForSafety("¿Cómo mato el proceso en España?")).toBe("¿Cómo mato el proceso en España?");
  });
});
