import { describe, expect, it } from "vitest";
import { compareSpecifics } from "./false-hit-guard.ts";
import { askedForDiffers, changedWord } from "./single-word-change.ts";

describe("changedWord", () => {
  it("finds the one word two otherwise equal questions differ in, in English and Spanish", () => {
    expect(
      changedWord("Will it rain in Vancouver tomorrow morning?", "Will it rain in Vancouver tomorrow evening?"),
    ).toEqual(["morning", "evening"]);
    expect(
      changedWord("How do I sort a list in descending order?", "How do I sort a list in ascending order?"),
    ).toEqual(["descending", "ascending"]);
    expect(changedWord("¿A qué hora abre el Museo del Prado?", "¿A qué hora cierra el Museo del Prado?")).toEqual([
      "abre",
      "cierra",
    ]);
    expect(compareSpecifics("Recipe for vegan lasagna", "Recipe for vegetarian lasagna")).toBe("differ");
  });

  it("sees no change in function words, typos, forms of one word, framing words and listed synonyms", () => {
    expect(changedWord("Will it rain in Lima on Saturday?", "Will it rain in Lima this Saturday?")).toBeUndefined();
    expect(changedWord("What's the weather in Reykjavik?", "whats the wether in reykjavik")).toBeUndefined();
    expect(changedWord("How many moons do the planets have?", "How many moons does each planet have?")).toBeUndefined();
    expect(changedWord("¿Cuánto es 48 por 12?", "Calcula 48 por 12")).toBeUndefined();
    expect(
      changedWord("What's the weather in Bogotá this weekend?", "What's the forecast in Bogotá this weekend?"),
    ).toBeUndefined();
  });

  it("leaves questions that differ in more than one word to the embeddings and the other specifics", () => {
    expect(
      changedWord(
        "How hot will it be in Marrakech on Friday?",
        "What temperature is forecast for Marrakech on Friday?",
      ),
    ).toBeUndefined();
    expect(changedWord("Capital of France?", "France's capital?")).toBeUndefined();
  });
});

describe("askedForDiffers and swapped words", () => {
  it("tells apart questions asking when or where, a rank, or two words in swapped places", () => {
    expect(askedForDiffers("When did the Titanic sink?", "Where did the Titanic sink?")).toBe("asks time vs place");
    expect(askedForDiffers("¿Cuál es la ciudad más poblada?", "¿Cuál es la segunda ciudad más poblada?")).toBe("rank");
    expect(changedWord("How do I convert a string to an int?", "How do I convert an int to a string?")).toEqual([
      "string",
      "int",
    ]);
  });

  it("lets questions that ask the same kind of thing in other words agree", () => {
    expect(askedForDiffers("When did the war end?", "What year did the war end?")).toBeUndefined();
    expect(askedForDiffers("¿Cuántos segundos tiene una hora?", "¿Cuántos segundos hay en una hora?")).toBeUndefined();
    expect(askedForDiffers("How tall is the Eiffel Tower?", "What is the height of the Eiffel Tower?")).toBeUndefined();
  });
});

describe("changedWord on hostile input", () => {
  it("compares two 30,000-letter words without spelling them out letter by letter", () => {
    const [left, right] = [`please define q${"x".repeat(30_000)}`, `please define z${"y".repeat(30_000)}`];
    expect(changedWord(left, right)?.length).toBe(2);
  });
});
