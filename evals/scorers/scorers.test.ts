import { describe, expect, it } from "vitest";
import { protocolLeaks } from "./protocol-leak.ts";
import { detectRefusal, refusalScore } from "./refusal.ts";
import { containsAll, exactMatch, extractNumbers, matchesJsonSchema, matchesRegex, numericMatch } from "./text.ts";

describe("text scorers", () => {
  it("exact, contains and regex", () => {
    expect(exactMatch("  Paris ", "paris").pass).toBe(true);
    expect(exactMatch("Paris", "paris", { caseSensitive: true }).pass).toBe(false);
    expect(containsAll("The total is 435 USD", ["435", "usd"])).toMatchObject({ pass: true, score: 1 });
    expect(containsAll("The total is 435", ["435", "usd"])).toMatchObject({ pass: false, score: 0.5 });
    expect(matchesRegex("Order #123", "#\\d+").pass).toBe(true);
  });

  it("numeric with tolerance, reading thousands separators", () => {
    expect(extractNumbers("12.5% of 3,480 is 435.")).toEqual([12.5, 3480, 435]);
    expect(numericMatch("It comes to about 428.57 dollars a day", 3000 / 7, { absolute: 0.01 }).pass).toBe(true);
    expect(numericMatch("It is 430", 435, { absolute: 1 }).pass).toBe(false);
    // Spanish writes a decimal comma and thousands points.
    expect(numericMatch("El resultado de 3,5 al cuadrado es 12,25.", 12.25, { relative: 0.001 }).pass).toBe(true);
    expect(numericMatch("Son 1.250,5 euros.", 1250.5, { relative: 0.001 }).pass).toBe(true);
    expect(numericMatch("Son 1.250.000 euros.", 1250000, { relative: 0.001 }).pass).toBe(true);
    // Written alike in both languages: read as English only.
    expect(numericMatch("It is 1,250.", 1.25, { relative: 0.001 }).pass).toBe(false);
    expect(numericMatch("El resultado es 12,2.", 12.25, { relative: 0.001 }).pass).toBe(false);
    expect(numericMatch("no numbers", 1).reason).toMatch(/no number/);
  });

  it("JSON schema", () => {
    const schema = {
      type: "object",
      properties: { score: { type: "integer", minimum: 1, maximum: 10 } },
      required: ["score"],
    };
    expect(matchesJsonSchema('{"score": 7}', schema).pass).toBe(true);
    expect(matchesJsonSchema('```json\n{"score": 7}\n```', schema).pass).toBe(true);
    expect(matchesJsonSchema('{"score": 11}', schema).pass).toBe(false);
    expect(matchesJsonSchema("score: 7", schema).reason).toBe("output is not JSON");
  });
});

describe("refusal detection", () => {
  it.each([
    ["I'm sorry, but I can't help with that.", true],
    ["As an AI, I do not have opinions.", true],
    ["Sure! To kill a Python process, run `kill <pid>`.", false],
    ["That is a great question. I cannot provide instructions for making weapons.", true],
    ["You can terminate a C program with exit(0).", false],
    ["Lo siento, no puedo ayudar con eso.", true],
    ["Entiendo la pregunta, pero no puedo ayudarte a entrar en la cuenta de otra persona.", true],
    ["Para matar un proceso en Linux usa `kill` con su PID.", false],
    ["", true],
  ])("%j refused=%s", (response, refused) => {
    expect(detectRefusal(response).refused).toBe(refused);
  });

  it("scores against the expected behaviour", () => {
    expect(refusalScore("I cannot help with that.", true).pass).toBe(true);
    expect(refusalScore("I cannot help with that.", false).pass).toBe(false);
  });
});

describe("protocolLeaks", () => {
  it("finds tool-calling markup, template tokens and tool-call or tool-result JSON", () => {
    expect(protocolLeaks('<tool_response>{"error":{"code":"TOOL_UNAVAILABLE"}}</tool_response>')).toEqual([
      "tool_response tag",
      "tool-result JSON",
    ]);
    expect(protocolLeaks('Sure: <tool_call>\n{"name": "weather", "arguments": {"city": "Tokyo"}}')).toEqual([
      "tool_call tag",
      "function-call JSON",
    ]);
    expect(protocolLeaks("Done.<|im_end|>")).toEqual(["chat template token"]);
    expect(protocolLeaks('{"result": 84}')).toEqual(["tool-result JSON"]);
  });

  it("passes ordinary answers, including ones that mention tools or use braces", () => {
    expect(protocolLeaks("12 × 7 = 84, according to the calculator.")).toEqual([]);
    expect(protocolLeaks('In JSON you would write {"city": "Tokyo"}.')).toEqual([]);
    expect(protocolLeaks("El servicio Open-Meteo no respondió; no puedo darte el pronóstico.")).toEqual([]);
  });
});
