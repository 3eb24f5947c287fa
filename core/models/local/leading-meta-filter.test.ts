import { describe, expect, it } from "vitest";
import { LeadingMetaFilter } from "./leading-meta-filter.ts";

function run(chunks: string[]): string {
  const filter = new LeadingMetaFilter();
  return chunks.map((chunk) => filter.push(chunk)).join("") + filter.flush();
}

describe("LeadingMetaFilter", () => {
  it("drops an opening verdict on the exchange, in Spanish and English, however it streams", () => {
    expect(run(["La respuesta ", "proporcionada es ", "correcta. Dividir 2048 entre 16 ", "da 128."])).toBe(
      "Dividir 2048 entre 16 da 128.",
    );
    expect(run(["The provided answer is correct. ", "12 times 7 is 84."])).toBe("12 times 7 is 84.");
    expect(run(["El resultado es correcto: ", "129."])).toBe("El resultado es correcto: 129.");
    // An answer that is nothing but the verdict is kept: an empty answer says less.
    expect(run(["The answer is correct."])).toBe("The answer is correct.");
    expect(run(["La respuesta es ", "correcta. "])).toBe("La respuesta es correcta.");
  });

  it("drops an opening sentence on how tools work in general, never one that carries a number", () => {
    const general = [
      "Cuando un tool calcula ",
      "una expresión, se devuelve el resultado en formato de texto. ",
      "El resultado es 129.",
    ];
    expect(run(general)).toBe("El resultado es 129.");
    expect(run(["When a tool returns a value, it is shown as text. ", "12 times 7 is 84."])).toBe("12 times 7 is 84.");
    expect(run(["When the tool divided 96 by 4 it gave 24."])).toBe("When the tool divided 96 by 4 it gave 24.");
    expect(run(["When a train leaves at noon, it arrives at six."])).toBe(
      "When a train leaves at noon, it arrives at six.",
    );
  });

  it("leaves every other answer as it was, releasing it without waiting when it cannot be a verdict", () => {
    const filter = new LeadingMetaFilter();
    expect(filter.push("It is ")).toBe("It is ");
    expect(filter.push("84.")).toBe("84.");
    expect(run(["The result is 84. ", "The answer is correct."])).toBe("The result is 84. The answer is correct.");
    expect(run(["La ", "respuesta es 129."])).toBe("La respuesta es 129.");
    expect(run(["La"])).toBe("La");
  });

  it("releases an opening as soon as its words leave every verdict's", () => {
    const filter = new LeadingMetaFilter();
    expect(filter.push("The ")).toBe("");
    expect(filter.push("res")).toBe("");
    expect(filter.push("ult ")).toBe("");
    expect(filter.push("of 17 ")).toBe("The result of 17 ");
    const spanish = new LeadingMetaFilter();
    expect(spanish.push("El resultado ")).toBe("");
    expect(spanish.push("de ")).toBe("El resultado de ");
    // Still a possible verdict: held until the sentence ends.
    const held = new LeadingMetaFilter();
    expect(held.push("The answer you provided is ")).toBe("");
    expect(held.push("correct. ")).toBe("");
    expect(held.push("It is 84.")).toBe("It is 84.");
  });

  it("drops a verdict word by word as it drops it whole, when its last word runs on", () => {
    const wordByWord = (text: string) => run(text.split(/(?<= )/));
    for (const [text, kept] of [
      ["The provided answer is correct, as the tool shows. Forty.", "Forty."],
      ["When a tool, such as a calculator, returns a value, it is text. 84.", "84."],
      ["Cuando una función, como la calculadora, responde, devuelve texto. 129.", "129."],
    ]) {
      expect(run([text!]), text).toBe(kept);
      expect(wordByWord(text!), text).toBe(kept);
    }
  });
});
