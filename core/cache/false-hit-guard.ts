import {
  amountMeasures,
  beforeAfterOf,
  comparisonsOf,
  monthsOf,
  nationalitySuffix,
  operationsOf,
  relativePeriodsOf,
  seasonsOf,
  singular,
} from "./question-qualifiers.ts";
import { askedForDiffers, changedWord } from "./single-word-change.ts";
import { basicNumberWords, spanishHundreds } from "../language/number-words.ts";

/**
 * What must be equal for two questions to share an answer, whatever their embeddings say: the
 * numbers and what each is measured in, the currencies and units in their direction ("100 USD to EUR"
 * is not "100 EUR to USD"), the places in their order, the days and months, periods relative to now
 * ("next week"), the arithmetic asked for ("20% off" is not "20% of"), and whether the question is
 * negated; and the two must not ask for opposite ends of a comparison ("cheapest" / "most expensive").
 * Embeddings of "weather in Tokyo" and "weather in Kyoto" are close; their answers are not
 * interchangeable.
 */
export interface QuestionSpecifics {
  numbers: string[];
  /** What each number is measured in, in their order ("300 euros" → EUR, "20 cm" → cm, "" for none). */
  measures: string[];
  /** Currencies and units, the one that comes with the amount first. */
  currencies: string[];
  places: string[];
  /** Capitalised words that open a sentence: places ("Tokyo weather") or not ("Recommend a book"). */
  possiblePlaces: string[];
  days: string[];
  months: string[];
  seasons: string[];
  /** Periods relative to now ("next:week", "ago:two", "day+2"). */
  periods: string[];
  /** Arithmetic or quantity asked for ("+", "*", "off", "root", "area"…), sorted. */
  operations: string[];
  /** Comparisons asked for, as graded adjectives ("hot" for "the hottest"), and before/after. */
  comparisons: string[];
  negated: boolean;
}

const currencyWords: Record<string, string> = {
  usd: "USD",
  dollar: "USD",
  dollars: "USD",
  dólar: "USD",
  dólares: "USD",
  dolar: "USD",
  dolares: "USD",
  $: "USD",
  eur: "EUR",
  euro: "EUR",
  euros: "EUR",
  "€": "EUR",
  jpy: "JPY",
  yen: "JPY",
  yenes: "JPY",
  "¥": "JPY",
  gbp: "GBP",
  pound: "GBP",
  pounds: "GBP",
  libra: "GBP",
  libras: "GBP",
  "£": "GBP",
  mxn: "MXN",
  peso: "MXN",
  pesos: "MXN",
  chf: "CHF",
  franc: "CHF",
  francs: "CHF",
  franco: "CHF",
  francos: "CHF",
  cny: "CNY",
  yuan: "CNY",
  yuanes: "CNY",
  cad: "CAD",
  aud: "AUD",
  brl: "BRL",
  real: "BRL",
  reales: "BRL",
};

/** Units read like currencies: "10 miles to km" is not "10 km to miles". */
const unitWords: Record<string, string> = Object.fromEntries(
  Object.entries({
    mi: "mile miles milla millas",
    km: "km kilometre kilometres kilometer kilometers kilómetro kilómetros",
    kg: "kg kilo kilos kilogram kilograms kilogramo kilogramos",
    lb: "lb lbs",
    C: "celsius °c ºc",
    F: "fahrenheit °f ºf",
    cm: "cm centimetre centimetres centimeter centimeters centímetro centímetros",
    mm: "mm millimetre millimetres millimeter millimeters milímetro milímetros",
    g: "g gram grams gramo gramos",
    oz: "oz ounce ounces onza onzas",
    mph: "mph",
    kmh: "km/h kph kmh",
    ml: "ml millilitre millilitres milliliter milliliters mililitro mililitros",
    B: "byte bytes",
    KB: "kb kilobyte kilobytes",
    MB: "mb megabyte megabytes",
    GB: "gb gigabyte gigabytes",
    TB: "tb terabyte terabytes",
    W: "w watt watts vatio vatios",
    kW: "kw kilowatt kilowatts kilovatio kilovatios",
    hp: "hp horsepower caballos",
    m: "meter meters metre metres metro metros",
    ft: "feet foot pies",
    in: "inch inches pulgada pulgadas",
    l: "litre litres liter liters litro litros",
    gal: "gallon gallons galón galones",
    h: "hour hours hora horas",
    min: "minute minutes minuto minutos",
  }).flatMap(([unit, words]) => words.split(" ").map((word) => [word, unit])),
);

/** A currency's or a unit's code, for a word of the question. */
const measureOf = (word: string): string | undefined =>
  Object.hasOwn(currencyWords, word)
    ? currencyWords[word]
    : Object.hasOwn(unitWords, word)
      ? unitWords[word]
      : undefined;

const dayWords: Record<string, string> = {
  today: "today",
  hoy: "today",
  tonight: "today",
  "esta noche": "today",
  tomorrow: "tomorrow",
  mañana: "tomorrow",
  manana: "tomorrow",
  yesterday: "yesterday",
  ayer: "yesterday",
  monday: "mon",
  lunes: "mon",
  tuesday: "tue",
  martes: "tue",
  wednesday: "wed",
  miércoles: "wed",
  miercoles: "wed",
  thursday: "thu",
  jueves: "thu",
  friday: "fri",
  viernes: "fri",
  saturday: "sat",
  sábado: "sat",
  sabado: "sat",
  sunday: "sun",
  domingo: "sun",
  weekend: "weekend",
  "fin de semana": "weekend",
};

const negations =
  /\b(?:not|no|never|without|don't|doesn't|isn't|aren't|won't|can't|nunca|sin|tampoco|jamás|ni)\b|n't\b/i;

// Words that start a sentence or a question, capitalised without being a place. A word missing here
// only makes two paraphrases miss each other (safe); a place missing from `places` could make two
// questions about different places hit, so every other capitalised word counts as a place.
const notPlaces = new Set(
  (
    "what how when where why who which is are can could should would will do does did convert tell give show " +
    "find search look please and the a in of for to what's how's i my me it weather forecast temperature rate " +
    "rates exchange news price calculate compute qué cómo cuándo dónde cuál cuánto cuánta cuántos cuántas por " +
    "para el la los las en de del y dime dame busca buscar convierte calcula hola hello hi mi me tiempo clima " +
    "temperatura previsión pronóstico cambio noticias precio llueve lloverá hará hace va divide multiply add " +
    "subtract split sum multiplica suma resta reparte"
  ).split(" "),
);

/** The specifics of a question (see QuestionSpecifics). */
export function specificsOf(question: string): QuestionSpecifics {
  // "US dollars" names a currency, not a place.
  // "15 por ciento" and "15 percent" are "15%" (not 15, "por" as a product, and "ciento", 100).
  const text = question
    .normalize("NFC")
    .replace(/\bU\.?S\.?\s+(dollars?)\b/gi, "$1")
    .replace(/\s*\b(?:por\s+ciento|per\s*cent)\b/giu, "%");
  // Numbers written as words read as digits: "three days" is "3 days".
  const lower = text.toLowerCase().replace(numberWordPattern, (word) => String(numberWords[word]));
  const numbers = [...lower.matchAll(/\d+(?:[.,]\d+)*/g)].map((match) => normalizeNumber(match[0]));
  const currencies = currenciesInDirection(lower);
  const days = [
    ...new Set(
      Object.entries(dayWords)
        .filter(([word]) => new RegExp(`(?:^|[^\\p{L}])${word}(?:$|[^\\p{L}])`, "u").test(lower))
        .map(([, day]) => day),
    ),
  ].sort();
  // In their order: "from Madrid to Lisbon" is not "from Lisbon to Madrid". A capitalised word that
  // starts a sentence may be a place ("Tokyo weather") or just a verb ("Recommend a book"): it is kept
  // apart, as a possible place.
  const places: string[] = [];
  const possiblePlaces: string[] = [];
  const [seenPlaces, seenPossible] = [new Set<string>(), new Set<string>()];
  for (const match of text.matchAll(/\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)*/gu)) {
    const word = match[0].toLowerCase();
    if (notPlaces.has(word) || measureOf(word)) continue;
    let before = match.index - 1;
    while (before >= 0 && /\s/.test(text[before]!)) before--;
    const startsSentence = before < 0 || /[.?!¿¡]/.test(text[before]!);
    const list = startsSentence && !word.includes(" ") ? possiblePlaces : places;
    const seen = startsSentence && !word.includes(" ") ? seenPossible : seenPlaces;
    if (!seen.has(word)) {
      seen.add(word);
      list.push(word);
    }
  }
  return {
    numbers,
    measures: amountMeasures(lower, measureOf),
    currencies,
    places,
    possiblePlaces,
    days,
    months: monthsOf(lower),
    seasons: seasonsOf(lower),
    periods: relativePeriodsOf(lower),
    operations: operationsOf(lower),
    comparisons: [...comparisonsOf(lower), ...beforeAfterOf(lower)],
    negated: negations.test(lower),
  };
}

/**
 * How two questions' specifics compare: "differ" when any specific differs (see QuestionSpecifics) — one's answer must not serve the other; "unsure" when only a
 * sentence-opening capitalised word of one is missing from the other (a verb, or a place: the cache then
 * asks for a higher similarity); "same" otherwise.
 */
export function compareSpecifics(first: string, second: string): "same" | "unsure" | "differ" {
  const [a, b] = [specificsOf(first), specificsOf(second)];
  const agree =
    same(a.numbers, b.numbers) &&
    same(a.measures, b.measures) &&
    same(a.currencies, b.currencies) &&
    same(a.places, b.places) &&
    same(a.days, b.days) &&
    same(a.months, b.months) &&
    same(a.periods, b.periods) &&
    same(a.seasons, b.seasons) &&
    same(a.operations, b.operations) &&
    same(a.comparisons, b.comparisons) &&
    a.negated === b.negated;
  if (!agree || changedWord(first, second) || askedForDiffers(first, second)) return "differ";
  const words = (question: string) => new Set(question.toLowerCase().match(/[\p{L}'-]+/gu) ?? []);
  const [inFirst, inSecond] = [words(first), words(second)];
  const unmatched =
    a.possiblePlaces.some((word) => !inSecond.has(word)) || b.possiblePlaces.some((word) => !inFirst.has(word));
  return unmatched ? "unsure" : "same";
}

/** Whether two questions surely agree on every specific. */
export function sameSpecifics(first: string, second: string): boolean {
  return compareSpecifics(first, second) === "same";
}

/**
 * The currencies named, the one that comes with the amount first ("100 US dollars" in "How many euros is
 * 100 US dollars?"), then the others in their order: the conversion's direction, however it is worded.
 */
function currenciesInDirection(lower: string): string[] {
  const tokens = [...lower.matchAll(/[$€¥£]|[a-záéíóúñ]+/g)];
  const mentions = tokens
    .map((match, index) => {
      const code = measureOf(match[0]);
      // Spanish names a currency's country after it: "pesos mexicanos" is not "pesos chilenos".
      const next = tokens[index + 1]?.[0];
      const country = next && nationalitySuffix.test(next) ? `:${singular(next)}` : "";
      return { code: code === undefined ? undefined : `${code}${country}`, at: match.index };
    })
    .filter((mention): mention is { code: string; at: number } => mention.code !== undefined);
  const amount = /(?:[$€¥£]\s?\d[\d.,]*|(?<![\d.,])\d[\d.,]*\s?(?:[$€¥£]|[a-záéíóúñ]+))/.exec(lower);
  const source = mentions.find(
    (mention) => amount && mention.at >= amount.index && mention.at < amount.index + amount[0].length,
  );
  return source
    ? [source.code, ...mentions.filter((mention) => mention !== source).map((mention) => mention.code)]
    : mentions.map((mention) => mention.code);
}

/** Numbers written as words count as the numbers ("three days" is "3 days", not "ten days"). */
const numberWords: Record<string, number> = {
  zero: 0,
  cero: 0,
  ...basicNumberWords,
  eleven: 11,
  dieciséis: 16,
  hundred: 100,
  cien: 100,
  ...spanishHundreds,
  thousand: 1000,
  mil: 1000,
  million: 1_000_000,
  millón: 1_000_000,
  millon: 1_000_000,
  millones: 1_000_000,
  billion: 1_000_000_000,
};
const numberWordPattern = new RegExp(`(?<![\\p{L}])(?:${Object.keys(numberWords).join("|")})(?![\\p{L}])`, "gu");

function same(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** "1,500" and "1.500" and "1500" are one number; "3,5" and "3.5" another. */
function normalizeNumber(raw: string): string {
  const thousands = /^\d{1,3}(?:[.,]\d{3})+$/.test(raw);
  const plain = thousands ? raw.replace(/[.,]/g, "") : raw.replace(",", ".");
  return String(Number(plain));
}
