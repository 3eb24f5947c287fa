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
 * A message that asks what the previous answer meant, in English or Spanish: "what do you mean?",
 * "no entiendo", "¿a qué te refieres?". Matched on the folded text (lower case, no accents), as a
 * whole short message or at its start, so that "I don't understand how tides work" is not one.
 */
const clarificationPattern = new RegExp(
  [
    "^(huh|what|eh|como|que)\\W*$",
    "^(sorry,? )?(what do you mean|what does (that|this|it) mean|what are you talking about|i (do not|don'?t) (understand|get it|follow)|(can|could) you (explain|clarify|rephrase)( (that|this|it))?( again)?|that'?s not what i (asked|meant)|i meant)\\b",
    "^(perdon,? )?(que quieres decir|que significa (eso|esto)|a que te refieres|no (te |lo )?(entiendo|entendi|sigo)|(puedes|podrias) (explicar|aclarar)(lo|me|melo)?|me lo (explicas|aclaras)|eso no es lo que (pregunte|pedi)|quise decir|me referia)\\b",
  ].join("|"),
);

/** Whether `text` asks what the previous answer meant (a sign that answer was not understood). */
export function asksForClarification(text: string): boolean {
  const folded = foldText(text).replace(/[¿¡]/g, "").trim();
  return folded.length <= 120 && clarificationPattern.test(folded);
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
  if (previous === current) return "rephrased";
  // A short reply ("yes", "and in Kyoto?") is a follow-up, not the question again.
  if (!options.embedder || current.split(" ").length < 4) return undefined;
  if (compareSpecifics(previousQuestion, message) === "differ") return undefined;
  const [a, b] = await options.embedder.embed([englishReading(previousQuestion), englishReading(message)]);
  return a && b && cosineSimilarity(a, b) >= (options.rephraseSimilarity ?? 0.8) ? "rephrased" : undefined;
}
