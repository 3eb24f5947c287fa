import { describe, expect, it } from "vitest";
import { buildMessages, languageReminder, recalledAnswer } from "./build-messages.ts";

describe("recalling earlier answers", () => {
  const long =
    "To plan a 7-day trip with $2,100, consider the following:\n\n1. **Packages**: choose ones with discounts. " +
    "Compare 2.5 options.\n\n2. **Transport**: rent a car. ".repeat(5);

  it("keeps an answer whole when it is short enough, else its sentences up to the limit", () => {
    expect(recalledAnswer("Short answer.", 300)).toBe("Short answer.");
    expect(recalledAnswer(long, undefined)).toBe(long);
    const recalled = recalledAnswer(long, 120);
    expect(recalled).toBe(
      "To plan a 7-day trip with $2,100, consider the following:\n\n1. **Packages**: choose ones with discounts. …",
    );
    // No sentence end within the limit: cut there.
    expect(recalledAnswer("x".repeat(50), 20)).toBe(`${"x".repeat(20)} …`);
  });

  it("recalls the user's words whole and only the agent's answers shortened", () => {
    const messages = buildMessages(
      "System.",
      {
        recentTurns: [{ userText: `I have a budget of 2,100 dollars. ${"Really. ".repeat(60)}`, assistantText: long }],
      } as never,
      "How much per day?",
      { recallAnswerChars: 120 },
    );
    expect(messages.map((message) => message.content.length)).toEqual([
      "System.".length,
      `I have a budget of 2,100 dollars. ${"Really. ".repeat(60)}`.length,
      recalledAnswer(long, 120).length,
      "How much per day?".length,
    ]);
  });
});

describe("the language to answer in", () => {
  const answeredIn = (assistantText: string) =>
    ({ sessionId: "s", summary: undefined, recentTurns: [{ userText: "q", assistantText }] }) as never;

  it("is reminded after the message when the last answer was in another language, in the language asked for", () => {
    expect(languageReminder("es", answeredIn("The result of 12 multiplied by 7 is 84."))).toBe(
      "(Responde en español.)",
    );
    expect(languageReminder("en", answeredIn("El resultado es 84, según la calculadora."))).toBe(
      "(Answer in English.)",
    );
    expect(languageReminder("es", answeredIn("La respuesta es 84, según la calculadora."))).toBeUndefined();
    expect(languageReminder("es", { sessionId: "s", summary: undefined, recentTurns: [] })).toBeUndefined();
    expect(languageReminder(undefined, answeredIn("The result is 84."))).toBeUndefined();
  });
});
