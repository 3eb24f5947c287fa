import { describe, expect, it } from "vitest";
import { emptyProfile } from "../contracts/profile.ts";
import { Agent } from "./agent.ts";
import { defaultSystemPrompt } from "./build-messages.ts";
import { learnFromTurn, personalizedPrompt, preferenceAcknowledgment, usualLanguage } from "./profile-learning.ts";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { collectEvents } from "../testing/collect.ts";

const learnAll = (texts: string[], toolsUsed: string[] = []) =>
  texts.reduce((profile, userText) => learnFromTurn(profile, { userText, toolsUsed }), emptyProfile("ada"));

describe("learning a user's profile", () => {
  it("moves each preference towards what a turn shows, by the learning rate", () => {
    const once = learnAll(["¿Cuánto cuesta un vuelo a Tokio?"], ["web_search"]);
    expect(once.turns).toBe(1);
    expect(once.languages).toEqual({ es: 0.2 });
    expect(once.tools).toEqual({ web_search: 0.2 });
    expect(Object.keys(once.topics).sort()).toEqual(["money", "travel"]);
    const habit = learnAll(Array(10).fill("¿Qué tiempo hará mañana en Sevilla?"));
    expect(habit.languages.es).toBeGreaterThan(0.85);
    expect(habit.topics.weather).toBeGreaterThan(0.85);
    // One English message nudges a Spanish habit; it does not overturn it.
    const nudged = learnFromTurn(habit, { userText: "What is the weather in Seville tomorrow?", toolsUsed: [] });
    expect(nudged.languages.es).toBeGreaterThan(0.6);
    expect(nudged.languages.en).toBeCloseTo(0.2, 5);
  });

  it("hears requests for brief or detailed answers and for lists, in English and Spanish", () => {
    expect(learnAll(["Please keep it short"]).answerLength).toBeLessThan(-0.5);
    expect(learnAll(["Respuestas más cortas, por favor"]).answerLength).toBeLessThan(-0.5);
    expect(learnAll(["Can you explain in more detail?"]).answerLength).toBeGreaterThan(0.5);
    expect(learnAll(["Explícamelo en detalle"]).answerLength).toBeGreaterThan(0.5);
    expect(learnAll(["What is the capital of Peru?"]).answerLength).toBe(0);
    expect(learnAll(["Give me the steps as a list"]).lists).toBeGreaterThan(0.5);
    expect(learnAll(["Dámelo en una lista", "Sin listas, en prosa"]).lists).toBeLessThan(0.3);
  });

  it("names the usual language once enough turns show it, and applies length and lists to the prompt", () => {
    expect(usualLanguage(learnAll(["Hola, ¿qué tal?", "¿Qué hora es en Lima?"]))).toBeUndefined();
    expect(usualLanguage(learnAll(Array(6).fill("¿Qué hora es en Lima?")))).toBe("es");
    const brief = learnAll(["Be brief, please"]);
    expect(personalizedPrompt(defaultSystemPrompt, brief)).toContain("Answer in one short sentence.");
    expect(personalizedPrompt(defaultSystemPrompt, brief)).not.toContain("one or two sentences");
    expect(personalizedPrompt("You are a travel agent.", learnAll(["More detail, please", "as a list please"]))).toBe(
      "You are a travel agent. Answer in detail, in a paragraph or more. Use a short bulleted list when you list things.",
    );
    expect(personalizedPrompt(defaultSystemPrompt, emptyProfile("ada"))).toBe(defaultSystemPrompt);
  });
});

describe("the agent with profiles", () => {
  it("carries a user's preferences into their next sessions, and not into another user's or with profiles off", async () => {
    for (const profiles of [true, false]) {
      const systemPrompts: string[] = [];
      const record = (request: { messages: readonly { role: string; content: string }[] }) => {
        systemPrompts.push(request.messages[0]?.content ?? "");
      };
      const steps = Array.from({ length: 6 }, () => ({ text: "Vale.", expect: record }));
      const agent = new Agent({ model: new ScriptedModel(steps), store: new InMemorySessionStore(), profiles });
      for (const [session, text] of [
        ["one", "Respuestas breves, por favor"],
        ["one", "¿Qué tiempo hace en Cádiz?"],
        ["two", "¿Cuánto cuesta un café en Roma?"],
      ])
        await collectEvents(agent.runTurn({ sessionId: session!, owner: "ada", text: text! }));
      await agent.settle();
      // A new session, a message that shows no language: Ada's profile answers in Spanish, briefly.
      await collectEvents(agent.runTurn({ sessionId: "three", owner: "ada", text: "12*7" }));
      await collectEvents(agent.runTurn({ sessionId: "four", owner: "bob", text: "12*7" }));
      const [ada, bob] = systemPrompts.slice(-2);
      if (profiles) {
        expect(ada).toContain("Answer in one short sentence.");
        expect(ada).toMatch(/Always answer in Spanish\.$/);
        expect((await agent.profiles.load("ada"))?.turns).toBe(4);
      } else {
        expect(ada).toBe(defaultSystemPrompt.replace(" When a tool gives a result, use it in your answer.", ""));
        expect(await agent.profiles.load("ada")).toBeUndefined();
      }
      expect(bob).not.toContain("short sentence");
      expect(bob).not.toContain("Spanish");
    }
  });
});

describe("what a turn says of answer length", () => {
  it("hears requests about the answers, not words that happen to say long or short", () => {
    for (const text of [
      "Please keep your answers short from now on.",
      "Be brief, please: I read on my phone.",
      "Your answers are too long. Shorter, please.",
      "Respuestas breves, por favor.",
      "Sé breve, que leo en el móvil.",
      "Tus respuestas son demasiado largas; más cortas, por favor.",
    ])
      expect(learnAll([text]).answerLength, text).toBeLessThan(-0.3);
    for (const text of [
      "I like detailed answers: explain things in depth.",
      "Can you explain in more detail? I want to learn.",
      "Give me detailed answers, please.",
      "Me gustan las respuestas detalladas; explícame las cosas en detalle.",
      "Explícamelo con más detalle, quiero aprender.",
      "Dame respuestas detalladas, por favor.",
    ])
      expect(learnAll([text]).answerLength, text).toBeGreaterThan(0.3);
    for (const text of [
      "¿Cuál es el río más largo de España?",
      "What is the longest river in England?",
      "Is a short flight to Lisbon cheaper in winter?",
      "Give me a brief history of Rome",
      "¿Cuál es el camino más corto a Toledo?",
      "Is a 2 hour layover too long?",
      "El viaje es demasiado largo",
      "I want long-term investments",
      "I want longer battery life",
      "Give me long weekend ideas",
      "Plan an elaborate dinner",
      "Be shortsighted",
      "Tell me more details about the Louvre",
    ])
      expect(learnAll([text]).answerLength, text).toBe(0);
  });
});

describe("a message that only states a preference", () => {
  it("is acknowledged by the agent, in the user's language; one that also asks something is not", () => {
    expect(preferenceAcknowledgment("Please keep your answers short from now on.", "en")).toBe(
      "Got it: I'll keep my answers short.",
    );
    expect(preferenceAcknowledgment("Prefiero las respuestas en una lista.", "es")).toBe(
      "Entendido: usaré listas cuando enumere cosas.",
    );
    expect(preferenceAcknowledgment("Dame respuestas detalladas, por favor.", "es")).toBe(
      "Entendido: responderé con más detalle.",
    );
    expect(preferenceAcknowledgment("Be brief: what is the capital of Peru?", "en")).toBeUndefined();
    expect(preferenceAcknowledgment("What is the capital of Peru?", "en")).toBeUndefined();
  });

  it("is answered without the model when profiles are on, and learned", async () => {
    const agent = new Agent({ model: new ScriptedModel([]), store: new InMemorySessionStore(), profiles: true });
    const events = await collectEvents(
      agent.runTurn({ sessionId: "s", owner: "ada", text: "Keep your answers short, please" }),
    );
    expect(events.at(-1)).toMatchObject({
      type: "turn-finish",
      outcome: "completed",
      text: "Got it: I'll keep my answers short.",
    });
    await agent.settle();
    expect((await agent.profiles.load("ada"))?.answerLength).toBeLessThan(-0.3);
  });
});
