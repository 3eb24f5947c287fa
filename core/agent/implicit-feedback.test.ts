import { describe, expect, it } from "vitest";
import { LocalMiniLmEmbedder } from "../embeddings/local-minilm-embedder.ts";
import { asksForClarification, implicitSignal } from "./implicit-feedback.ts";

const embedder = new LocalMiniLmEmbedder();

describe("implicit feedback", () => {
  it("hears a request to clarify the answer, in English and Spanish, and not a new question that starts alike", () => {
    for (const text of [
      "What do you mean?",
      "huh?",
      "Sorry, I don't understand",
      "Can you explain that again, please?",
      "Explícamelo otra vez",
      "What do you mean by that?",
      "¿Qué quieres decir con eso?",
      "No entiendo nada",
      "Could you explain that in simpler terms?",
      "That's not what I asked",
      "¿Qué quieres decir?",
      "No te entiendo",
      "¿A qué te refieres?",
      "¿Puedes explicarlo?",
      "¿cómo?",
    ])
      expect(asksForClarification(text), text).toBe(true);
    for (const text of [
      "I don't understand how tides work",
      "Can you explain how tides work?",
      "What does it mean to be a stoic?",
      "¿Puedes explicar la fotosíntesis?",
      "Explícamelo con un ejemplo de cocina, usando recetas de mi abuela",
      "What does the word 'arigato' mean in Japanese?",
      "What is the weather in Madrid?",
      "¿Qué tiempo hace en Madrid?",
      "No entiendo bien el horario del tren, ¿sale a las 8 o a las 9?",
      "Explain quantum computing",
    ])
      expect(asksForClarification(text), text).toBe(false);
  });

  it("hears the previous question asked again, in other words too, and not a follow-up or a new number", async () => {
    const again = [
      ["What's the weather in Tokyo tomorrow?", "what's the weather in tokyo tomorrow"],
      ["What's the weather in Tokyo tomorrow?", "Tomorrow's forecast for Tokyo, please"],
      ["¿Cuánto es el 15% de 240?", "Calcula el 15 por ciento de 240"],
      ["How do I say thank you in Japanese?", "What is the Japanese word for thanks?"],
    ];
    for (const [previous, message] of again)
      expect(await implicitSignal(previous!, message!, { embedder }), message).toBe("rephrased");
    const moved = [
      ["What is 12*7?", "What is 13*7?"],
      ["Convert 100 USD to EUR", "And 200?"],
      ["¿Cuánto es el 15% de 240?", "¿Y el 20% de 300?"],
      ["Find cheap flights to Tokyo", "What's the weather in Paris this weekend?"],
    ];
    for (const [previous, message] of moved)
      expect(await implicitSignal(previous!, message!, { embedder }), message).toBeUndefined();
    // Without an embedder only the same words count.
    expect(await implicitSignal("What's the weather in Tokyo?", "What is the weather in Tokyo?")).toBeUndefined();
    expect(await implicitSignal("What's the weather in Tokyo?", "What's the weather in Tokyo??")).toBe("rephrased");
    // Short replies said twice are replies, not a question asked again.
    expect(await implicitSignal("thanks", "Thanks!")).toBeUndefined();
    expect(await implicitSignal("yes", "yes")).toBeUndefined();
    expect(await implicitSignal("What's the weather in Tokyo?", "What do you mean?")).toBe("clarification");
  });
});
