import { describe, expect, it } from "vitest";
import { detectLanguage } from "./detect-language.ts";

describe("detectLanguage", () => {
  it.each([
    ["What is 12*7?", "en"],
    ["Convert 100 USD to EUR", "en"],
    ["thanks!", "en"],
    ["¿Qué tiempo hace en Madrid mañana?", "es"],
    ["Convierte 100 dólares a euros", "es"],
    ["Gracias", "es"],
    ["¿Y en euros?", "es"],
    ["Wie ist das Wetter in Berlin?", "de"],
    ["Quel temps fait-il à Paris ?", "fr"],
    // Short answers, as a model writes them after a tool result.
    ["La respuesta es 12.25.", "es"],
    ["The result is 391.", "en"],
  ])("%s → %s", (text, language) => {
    expect(detectLanguage(text)?.language).toBe(language);
  });

  it("says nothing when a message carries no sign of a language", () => {
    expect(detectLanguage("12*7")).toBeUndefined();
    expect(detectLanguage("Tokyo")).toBeUndefined();
    expect(detectLanguage("")).toBeUndefined();
  });
});
