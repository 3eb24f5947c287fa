import { foldText, type ReconcileContext, withinEditDistance } from "realtime-agent";

const wordsOf = (text: string) =>
  foldText(text)
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length >= 3);

/** A capitalised word that does not open a sentence: a name the user wrote ("Pekín", "Nueva York"). */
const nameInside = /[^.!?¿¡\s]\s+["'(«]?\p{Lu}/u;

/**
 * The reconcile of a weather tool whose schema and examples name `exampleCities`: a city the user did
 * not write that is one of them was copied from the examples, whatever names the message writes ("¿Por
 * qué hace frío en invierno si la Tierra está más cerca del Sol?" → Tokyo).
 */
export function weatherReconciler(exampleCities: readonly string[]) {
  const examples = new Set(exampleCities.map(foldText));
  return (args: Record<string, unknown>, context: ReconcileContext): Record<string, unknown> | null => {
    const reconciled = reconcileWeatherCall(args, context);
    if (reconciled === null || typeof args.city !== "string" || !examples.has(foldText(args.city))) return reconciled;
    return cityGrounded(args.city, [context.userText, context.previousUserText ?? ""]) ? reconciled : null;
  };
}

/**
 * A weather call whose city the conversation gives no ground for is dropped: asked "¿A qué temperatura
 * hierve el agua?", the 0.5B model calls the weather in Tokyo (the schema's example). The city is
 * grounded when one of its words shares its first four letters with a word of the user's last two
 * messages ("Londres" for London, "Múnich" for Munich), or when those messages write a name of their
 * own that the model may have translated ("Pekín" → Beijing), or initials ("nyc"). A user who writes no place at all is
 * better asked than answered for Tokyo.
 */
export function reconcileWeatherCall(
  args: Record<string, unknown>,
  context: ReconcileContext,
): Record<string, unknown> | null {
  if (typeof args.city !== "string") return args;
  const said = [context.userText, context.previousUserText ?? ""];
  return cityGrounded(args.city, said) || said.some((text) => nameInside.test(text)) ? args : null;
}

/**
 * One of the city's words starts like a word the user wrote, or is spelled nearly alike (another
 * language's name: "Tokio" for Tokyo, "Niza" for Nice), or the user wrote its initials.
 */
function cityGrounded(city: string, said: readonly string[]): boolean {
  const saidWords = said.flatMap(wordsOf);
  const cityWords = wordsOf(city);
  const initials = foldText(city)
    .split(/[^\p{L}]+/u)
    .filter(Boolean)
    .map((word) => word[0])
    .join("");
  return (
    cityWords.some((word) =>
      saidWords.some((candidate) => candidate.slice(0, 4) === word.slice(0, 4) || nearlySpelled(candidate, word)),
    ) ||
    (initials.length >= 2 &&
      said.some((text) =>
        foldText(text)
          .split(/[^\p{L}]+/u)
          .some((word) => word.startsWith(initials) && word.length <= initials.length + 1),
      ))
  );
}

/** Two words of four to twenty letters at most two letters apart. */
function nearlySpelled(left: string, right: string): boolean {
  return Math.min(left.length, right.length) >= 4 && withinEditDistance(left, right, 2, 20);
}
