import { englishReading, type ReconcileContext } from "realtime-agent";

const fold = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
const wordsOf = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3);
/** Capitalised words that do not open a sentence: the names a search is about ("Chile", "Han Kang"). */
const namesInside = /(?<=[^.!?¿¡\s]\s{1,3})\p{Lu}[\p{L}\p{N}'-]*(?:\s+\p{Lu}[\p{L}\p{N}'-]*)*/gu;

/**
 * A web search squared with what the user asked. Asked how search engines rank results, the 0.5B
 * model searches "example"; greeted, it searches "hola": a query none of whose words the user wrote
 * (in either message, or in the English reading of a Spanish one) is dropped. Asked "Who is the
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
  const stems = new Set([...saidWords].map((word) => word.slice(0, 5)));
  const queryWords = wordsOf(args.query);
  if (queryWords.length > 0 && !queryWords.some((word) => stems.has(word.slice(0, 5)))) return null;
  const queryText = fold(args.query);
  const missing = [...new Set(context.userText.match(namesInside) ?? [])].filter(
    (name) => !wordsOf(name).every((word) => queryText.includes(word)),
  );
  return missing.length ? { ...args, query: `${args.query} ${missing.join(" ")}` } : args;
}
