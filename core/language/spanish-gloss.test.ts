import { describe, expect, it } from "vitest";
import { spanishGloss } from "./spanish-gloss.ts";

describe("spanishGloss", () => {
  it("reads Spanish word by word in English, expressions first, names and numbers as written", () => {
    expect(spanishGloss("¿Va a hacer calor este fin de semana en Málaga?")).toContain("weekend");
    expect(spanishGloss("¿Hace calor en Málaga?")).toMatch(/^it is hot in .*málaga\?$/);
    expect(spanishGloss("Convierte 1.500 coronas suecas a euros")).toMatch(/1\.500 .*euros/);
    expect(spanishGloss("Busca reseñas de la película Dune")).toContain("reviews");
  });

  it("keeps words it does not know, in linear time on a long text", () => {
    expect(spanishGloss("Xyzzy plugh")).toBe("xyzzy plugh");
    expect(spanishGloss("de ".repeat(20_000)).length).toBeGreaterThan(20_000);
  });
});

describe("spanishGloss reads each word once", () => {
  it("never glosses an expression's English again", () => {
    expect(spanishGloss("una vez")).not.toContain("eleven");
    expect(spanishGloss("redes sociales")).toBe("social media");
  });
});
