import { compareSpecifics } from "../cache/false-hit-guard.ts";
import { cosineSimilarity, type Embedder } from "../contracts/embedder.ts";
import type { FeedbackKind } from "../contracts/feedback.ts";
import { foldText } from "../language/compare-words.ts";
import { englishReading } from "../language/spanish-gloss.ts";

export interface ImplicitFeedbackOptions {
  /** Tells a message that asks the previous one again in other words; without it only repeats count. */
  embedder?: Embedder;
  /** How close (cosine) a message must be to the previous one to count as asking it again (default 0.8). */
  rephraseSimilarity?: number;
}

/**
 * Openings of a message that asks what the previous answer meant, in English and Spanish, folded
 * (lower case, no accents or apostrophes): "what do you mean?", "no entiendo", "¿a qué te refieres?".
 */
const clarificationOpenings = [
  "what do you mean",
  "what does that mean",
  "what does this mean",
  "what does it mean",
  "what are you talking about",
  "i dont understand",
  "i do not understand",
  "i dont get it",
  "i dont follow",
  "can you explain",
  "could you explain",
  "can you clarify",
  "could you clarify",
  "can you rephrase",
  "could you rephrase",
  "thats not what i asked",
  "that is not what i asked",
  "come again",
  "say that again",
  "que quieres decir",
  "que significa eso",
  "que significa esto",
  "a que te refieres",
  "no entiendo",
  "no te entiendo",
  "no lo entiendo",
  "no entendi",
  "no te sigo",
  "puedes explicarlo",
  "puedes explicar",
  "podrias explicarlo",
  "podrias explicar",
  "puedes aclararlo",
  "puedes aclarar",
  "me lo explicas",
  "me lo aclaras",
  "explicamelo",
  "eso no es lo que pregunte",
  "eso no es lo que pedi",
  "como dices",
];
const clarificationPattern = new RegExp(`^(?:sorry |perdon |huh |eh )?(?:${clarificationOpenings.join("|")})\\b(.*)$`);
/** Words that may follow an opening without making it a new question ("can you explain that again, please?"). */
const clarificationTail = new Set(
  "that this it again please more clearly simply simpler better in terms words by to me the answer your what you mean sorry nada con por favor eso esto lo otra vez mejor de nuevo tu respuesta bien en palabras mas sencillas".split(
    " ",
  ),
);

/** Whether `text` asks what the previous answer meant (a sign that answer was not understood), and nothing else. */
export function asksForClarification(text: string): boolean {
  const words = foldText(text)
    .replace(/['’]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (words.length > 120) return false;
  if (/^(?:huh|what|eh|sorry|como|que|perdon)$/.test(words)) return true;
  const tail = clarificationPattern.exec(words)?.[1];
  return tail?.split(" ").every((word) => word === "" || clarificationTail.has(word)) === true;
}

/**
 * What the user's new message says of the previous answer, when it says something: `clarification`
 * when it asks what the answer meant, `rephrased` when it asks the previous question again (the same
 * words, or close in meaning on the embedder with the same specifics: numbers, places, days… as the
 * semantic cache compares them, so "What is 13*7?" after "What is 12*7?" is a new question). Undefined
 * when it moves on.
 */
export async function implicitSignal(
  previousQuestion: string,
  message: string,
  options: ImplicitFeedbackOptions = {},
): Promise<FeedbackKind | undefined> {
  if (asksForClarification(message)) return "clarification";
  const previous = foldText(previousQuestion).replace(/\W+/g, " ").trim();
  const current = foldText(message).replace(/\W+/g, " ").trim();
  if (!previous || !current) return undefined;
  // A short reply ("yes", "thanks", "and in Kyoto?") is a follow-up, not the question again, even word for word.
  if (current.split(" ").length < 4) return undefined;
  if (previous === current) return "rephrased";
  if (!options.embedder) return undefined;
  if (compareSpecifics(previousQuestion, message) === "differ") return undefined;
  const [a, b] = await options.embedder.embed([englishReading(previousQuestion), englishReading(message)]);
  return a && b && cosineSimilarity(a, b) >= (options.rephraseSimilarity ?? 0.8) ? "rephrased" : undefined;
}
