import { englishReading, foldText, type ReconcileContext } from "realtime-agent";

const wordsOf = (text: string) =>
  foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);
/**
 * Capitalised words that do not open a sentence, a line or a clause after a colon: the names a search
 * is about ("Chile", "Han Kang").
 */
const namesInside = /(?<=[^.!?¿¡:\s][ \t]{1,3})\p{Lu}[\p{L}\p{N}'-]*(?:[ \t]+\p{Lu}[\p{L}\p{N}'-]*)*/gu;
/** Capitalised words that are no subject of a search: courtesies, the engine asked to search. */
const notNames = new Set([
  "thanks",
  "thank",
  "please",
  "gracias",
  "google",
  "bing",
  "hi",
  "hello",
  "hola",
  "ok",
  "okay",
  "i",
]);

/**
 * A web search squared with what the user asked. Asked how search engines rank results, the 0.5B
 * model searches "example"; greeted, it searches "hola": a query none of whose words the user wrote
 * (in either message, or in the English reading of a Spanish one; a word that starts another counts,
 * "Fed" for "Federal", and so do initials, "PM" for "prime minister") is dropped. Asked "Who is the
 * current president of Chile?", it searches "president": the names the message writes and the query
 * leaves out are added to it.
 */
export function reconcileSearchCall(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  if (typeof args.query !== "string") return args;
  const said = [context.userText, context.previousUserText ?? ""];
  const saidWords = new Set(said.flatMap((text) => [...wordsOf(text), ...wordsOf(englishReading(text))]));
  const queryWords = wordsOf(args.query);
  const grounded = queryWords.some((word) => written(word, saidWords)) || writtenAsInitials(queryWords, saidWords);
  if (queryWords.length > 0 && !grounded) return null;
  const queryText = foldText(args.query);
  const missing = [...new Set(context.userText.match(namesInside) ?? [])].filter(
    (name) => !notNames.has(foldText(name)) && !wordsOf(name).every((word) => queryText.includes(word)),
  );
  return missing.length ? { ...args, query: `${args.query} ${missing.join(" ")}` } : args;
}

/** A query word the user wrote: the same word, one that starts the other (fed / federal), or its stem. */
function written(word: string, said: ReadonlySet<string>): boolean {
  if (said.has(word)) return true;
  for (const candidate of said) {
    const [shorter, longer] = candidate.length <= word.length ? [candidate, word] : [word, candidate];
    if (shorter.length >= 3 && longer.startsWith(shorter)) return true;
    if (shorter.length >= 5 && longer.slice(0, 5) === shorter.slice(0, 5)) return true;
  }
  return false;
}

/** Initials of consecutive query words ("prime minister" → pm) that the user wrote as a word ("PM"). */
function writtenAsInitials(words: readonly string[], said: ReadonlySet<string>): boolean {
  for (let start = 0; start < words.length; start++)
    for (let end = start + 2; end <= Math.min(words.length, start + 4); end++)
      if (
        said.has(
          words
            .slice(start, end)
            .map((word) => word[0])
            .join(""),
        )
      )
        return true;
  return false;
}
