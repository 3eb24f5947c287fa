import { foldText, withinEditDistance } from "../language/compare-words.ts";

/**
 * Two questions that are the same words but one: "Will it rain in Vancouver tomorrow morning?" and
 * "…tomorrow evening?", "recipe for vegan lasagna" and "…vegetarian lasagna", "¿A qué hora abre el
 * Prado?" and "¿…cierra…?". Their embeddings are nearly equal, and the one word they differ in is
 * what each asks. Function words (articles, prepositions, question words) are set aside first, so
 * "in Lima" and "for Lima" agree; a word changed by a typo ("wether"), another form of the same word
 * ("planet"/"planets"), a word that frames the request ("tell", "dime", "calcula") or a synonym of a
 * short list ("weather"/"forecast") is no change.
 */
export function changedWord(first: string, second: string): [string, string] | undefined {
  const [left, right] = [contentWords(first), contentWords(second)];
  if (left.length !== right.length || left.length < 2) return undefined;
  const differing = left.flatMap((word, index) => (word === right[index] ? [] : [index]));
  // Two words trading places: "convert a string to an int" / "an int to a string", "de mayor a menor".
  if (differing.length === 2) {
    const [i, j] = differing as [number, number];
    return left[i] === right[j] && left[j] === right[i] ? [left[i]!, left[j]!] : undefined;
  }
  if (differing.length !== 1) return undefined;
  const [a, b] = [left[differing[0]!]!, right[differing[0]!]!];
  if (a.length < 3 || b.length < 3 || a.slice(0, 4) === b.slice(0, 4)) return undefined;
  if (framingWords.has(a) || framingWords.has(b) || synonyms(a, b) || typo(a, b)) return undefined;
  return [a, b];
}

/**
 * What else two nearly equal questions must agree on, that function words and embeddings hide: the
 * kind of answer asked for ("When did the Titanic sink?" / "Where…?", "¿Cuándo…?" / "¿Dónde…?") and
 * the rank ("the largest country" / "the second largest"). Returns what differs, if anything.
 */
export function askedForDiffers(first: string, second: string): string | undefined {
  const [left, right] = [foldText(first), foldText(second)];
  const kinds = (text: string) => askKinds.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind);
  const [leftKinds, rightKinds] = [kinds(left), kinds(right)];
  if (leftKinds.length && rightKinds.length && !leftKinds.some((kind) => rightKinds.includes(kind)))
    return `asks ${leftKinds.join("/")} vs ${rightKinds.join("/")}`;
  const ranks = (text: string) =>
    (text.match(ordinal) ?? [])
      .map((word) => word.slice(0, 4))
      .sort()
      .join(" ");
  if (ranks(left) !== ranks(right)) return "rank";
  return undefined;
}

/** The kinds of answer a question word asks for; "how"/"what"/"cómo"/"qué" ask too many to compare. */
const askKinds: [string, RegExp][] = [
  ["time", /(?<!\p{L})(?:when|cuando|what year|what time|que ano|a que hora|en que ano)(?!\p{L})/u],
  ["place", /(?<!\p{L})(?:where|donde|adonde)(?!\p{L})/u],
  ["person", /(?<!\p{L})(?:who|whom|quien|quienes)(?!\p{L})/u],
  ["reason", /(?<!\p{L})(?:why|por que|porque)(?!\p{L})/u],
];
/** Ranks; "cuarto" is also a room, and "segundos" are seconds. */
const ordinal = /(?<!\p{L})(?:second|third|segund[oa]|tercer[oa]?|2nd|3rd)(?!\p{L})/gu;

function contentWords(question: string): string[] {
  return (foldText(question).match(/[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*/gu) ?? []).filter(
    (word) => !functionWords.has(word),
  );
}

const functionWords = new Set(
  `a an the of in on at to for from by with and or is are was were be been being do does did what whats which
  who whom whose how when where why will would can could should shall may might must it its this that these those
  there here i me my you your we our they their he she his her please s t ll m ve re d just some any
  el la los las lo un una unos unas de del al en con por para y e o u que cual cuales quien quienes como cuando donde
  es son era fue ser esta estan este estos estas ese esa eso esos esas hay me mi mis te tu tus su sus se le les nos
  yo usted va van voy ha he has han favor porfa`.split(/\s+/),
);

/** Words that frame a request rather than say what it is about. */
const framingWords = new Set(
  `tell explain describe show give find know calculate compute figure need want wondering curious
  dime di hablame explica explicame cuentame calcula calcular multiplica cuanto cuanta cuantos cuantas sabes
  quiero saber necesito busca buscame recomiendas recomienda`.split(/\s+/),
);

const synonymGroups = [
  "weather forecast temperature clima tiempo pronostico",
  "author wrote writer autor escribio",
  "recipe make prepare receta preparo preparar hago hacer",
  "price cost costs precio cuesta vale",
  "buy purchase comprar compro",
  "begin start empieza comienza empezo comenzo",
  "finish end termina acaba",
  "car automobile coche carro auto",
  "movie film pelicula",
  "write compose escribe redacta",
].map((group) => new Set(group.split(" ")));

function synonyms(a: string, b: string): boolean {
  return synonymGroups.some((group) => group.has(a) && group.has(b));
}

/**
 * A misspelling: one letter changed, added or dropped in a word of five letters or more, or two in a
 * word of seven or more that starts alike ("ascending" and "descending" are two words).
 */
function typo(a: string, b: string): boolean {
  if (Math.min(a.length, b.length) < 5) return false;
  return withinEditDistance(a, b, Math.min(a.length, b.length) >= 7 && a[0] === b[0] ? 2 : 1);
}
