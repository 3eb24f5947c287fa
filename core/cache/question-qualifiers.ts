/**
 * Words that change a question's answer without changing its embedding much, read as tokens that two
 * questions must share to share an answer (false-hit-guard.ts): what an amount is measured in, the
 * arithmetic asked for, a period relative to now, a month, and which end of a comparison. The lists
 * are English and Spanish; a word missing from them can only make a near-duplicate hit, so they lean
 * to breadth, and each class compares only what the questions actually say.
 */

/** A pattern for any of the `|`-separated phrases as whole words (letters with accents included). */
function words(phrases: string, extra?: string): RegExp {
  const alternatives = `(?<![\\p{L}\\p{N}])(?:${phrases})(?![\\p{L}\\p{N}])`;
  return new RegExp(extra ? `${alternatives}|${extra}` : alternatives, "gu");
}

/** Spanish adjectives of nationality as they follow a currency (mexicanos, canadienses, suecas, estadounidenses…). */
export const nationalitySuffix =
  /(?:anos?|anas?|enses?|eños?|eñas?|inos?|inas?|eses|esas?|ecos?|ecas?|icos?|icas?|uecas?|uegas?|ales)$/;

/** Words that follow a number without measuring it ("12 times 7", "5 por 3", "100 to EUR"). */
const notMeasures = new Set(
  (
    "times by and to in into of plus minus x divided multiplied over per for from with at or than is are " +
    "por y en a de para con entre más menos o que es son the an my this next last"
  ).split(" "),
);

/**
 * What each amount is measured in: the symbol before it ("$80") or the word after it ("300 euros",
 * "20 cm", "5 gigabytes", "30 °F", "15 %"), in the order the amounts come. `measureOf` names known
 * currencies and units alike ("$", "dollars", "USD" are one); other words compare singular and lower
 * case. "How many dollars for 100 rupees?" measures its amount in rupees, not dollars.
 */
export function amountMeasures(lower: string, measureOf: (word: string) => string | undefined): string[] {
  const measures: string[] = [];
  const amounts = /([$€¥£₹])?\s?\d[\d.,]*(?:\s*-\s*|\s*)(°\s?[cf](?![\p{L}])|%|\p{L}[\p{L}/]*)?(?:\s+(\p{L}+))?/gu;
  for (const [, symbol, after, following] of lower.matchAll(amounts)) {
    const word = after?.replace(/\s/g, "");
    // "500 coronas suecas" is not "500 coronas noruegas".
    const country = following && nationalitySuffix.test(following) ? `:${singular(following)}` : "";
    if (symbol) measures.push(measureOf(symbol) ?? symbol);
    else if (word && !notMeasures.has(word)) measures.push(`${measureOf(word) ?? singular(word)}${country}`);
    else measures.push("");
  }
  return measures;
}

function singular(word: string): string {
  if (word === "percent" || word === "%") return "%";
  return word.replace(/(?:es|s)$/u, "");
}

const operationWords: [RegExp, string][] = [
  [words("plus|add|added|adding|sum|más|mas|suma|sumar|súmale", String.raw`\d\s*\+\s*\d`), "+"],
  [words("minus|subtract|subtracted|take away|menos|resta|restar|réstale", String.raw`\d\s+[-−]\s+\d`), "-"],
  [words("times|multiply|multiplied|multiplica|multiplicado", String.raw`\d\s*[x×*]\s*\d|\d\s+por\s+\d`), "*"],
  [words("divide|divided|dividing|dividido|divídelo|divida", String.raw`\d\s+entre\s+\d`), "/"],
  [words("off|discount|descuento|rebaja"), "off"],
  [words("more than|increase|increased|raise|markup|aumento|aumentar|incremento|más que"), "increase"],
  [words("less than|decrease|decreased|reduce|reduced|disminuir|disminución|reducir|menos que"), "decrease"],
  [words("root|raíz|raiz"), "root"],
  [words("square|squared|cuadrado"), "square"],
  [words("cube|cubed|cubo"), "cube"],
  [words("compound|compounded|compuesto"), "compound"],
  [words("simple"), "simple"],
  [words("average|mean|media|promedio"), "average"],
];

/** The arithmetic a question asks for, as sorted tokens ("48 plus 12" → +; "20% off" → off). */
export function operationsOf(lower: string): string[] {
  const found: string[] = [];
  for (const [pattern, token] of operationWords) {
    for (const _ of lower.matchAll(pattern)) found.push(token);
  }
  return found.sort();
}

const relations: [RegExp, string][] = [
  [words("this|current|esta|este|actual"), "this"],
  [words("next|coming|upcoming|following|próxima|próximo|proxima|proximo|siguiente|que viene"), "next"],
  [words("last|past|previous|prior|pasada|pasado|última|último|ultima|ultimo|anterior"), "last"],
];
const periods: [RegExp, string][] = [
  [words("weekend|fin de semana|finde"), "weekend"],
  [words("week|semana"), "week"],
  [words("month|mes"), "month"],
  [words("year|año|ano"), "year"],
  [words("season|temporada"), "season"],
  [words("quarter|trimestre"), "quarter"],
  [words("decade|década|decada"), "decade"],
  [words("night|noche"), "night"],
  [words("spring|primavera"), "spring"],
  [words("summer|verano"), "summer"],
  [words("autumn|fall|otoño|otono"), "autumn"],
  [words("winter|invierno"), "winter"],
];
const ago = words(
  String.raw`(\S+)\s+(?:days?|weeks?|months?|years?)\s+ago|hace\s+(\S+)\s+(?:días?|dias?|semanas?|meses|mes|años?|anos?)`,
);
const dayAfterTomorrow = words("day after tomorrow|pasado mañana|pasado manana");
const dayBeforeYesterday = words("day before yesterday|anteayer|antier");

/**
 * Periods relative to now: "next week", "la semana que viene", "last season", "two years ago",
 * "hace 3 días", "the day after tomorrow", "pasado mañana", each as relation:period ("next:week"). A
 * relation counts when it stands within a few words of the period, in the same clause.
 */
export function relativePeriodsOf(lower: string): string[] {
  const found = new Set<string>();
  for (const clause of lower.split(/[,.;?!¿¡]/)) {
    for (const [periodPattern, period] of periods) {
      for (const at of clause.matchAll(periodPattern)) {
        const near = clause
          .slice(Math.max(0, at.index - 24), at.index + at[0].length + 16)
          .replace(period === "weekend" ? /$^/ : words("fin de semana|finde"), " ");
        const relation = relations.find(([pattern]) => new RegExp(pattern).test(near))?.[1];
        if (relation) found.add(`${relation}:${period}`);
      }
    }
  }
  for (const match of lower.matchAll(ago)) found.add(`ago:${match[1] ?? match[2]}`);
  if (new RegExp(dayAfterTomorrow).test(lower)) found.add("day+2");
  if (new RegExp(dayBeforeYesterday).test(lower)) found.add("day-2");
  return [...found].sort();
}

const monthNames = [
  "january|enero",
  "february|febrero",
  "march|marzo",
  "april|abril",
  String.raw`may(?=\s+\d)|(?<=\d\s+(?:of\s+)?)may|mayo`,
  "june|junio",
  "july|julio",
  "august|agosto",
  "september|septiembre|setiembre",
  "october|octubre",
  "november|noviembre",
  "december|diciembre",
].map((names) => words(names));

/** Months named, as m1…m12, sorted ("21 de junio" is not "21 de diciembre"; "may I ask" is no month). */
export function monthsOf(lower: string): string[] {
  return monthNames.flatMap((pattern, index) => (new RegExp(pattern).test(lower) ? [`m${index + 1}`] : []));
}

/** Opposite ends of a comparison, each end a pattern. */
const comparisonEnds: [RegExp, RegExp][] = [
  [
    words("highest|biggest|largest|tallest|longest|most|maximum|max|mayor|máximo|maximo|más alto|más grande"),
    words("lowest|smallest|shortest|least|fewest|minimum|min|menor|mínimo|minimo|más bajo|más pequeño"),
  ],
  [words("cheapest|más barato|más barata|más económico"), words("most expensive|priciest|más caro|más cara")],
  [words("best|mejor|mejores"), words("worst|peor|peores")],
  [words("before|antes"), words("after|después|despues")],
  [words("faster|fastest|más rápido"), words("slower|slowest|más lento")],
  [words("older|oldest|más antiguo|más viejo"), words("newer|newest|youngest|más nuevo|más reciente|más joven")],
];

/** Whether one question asks for one end of a comparison and the other question for the opposite end. */
export function oppositeComparisons(first: string, second: string): boolean {
  const has = (pattern: RegExp, text: string) => new RegExp(pattern).test(text);
  return comparisonEnds.some(
    ([high, low]) =>
      (has(high, first) && !has(high, second) && has(low, second) && !has(low, first)) ||
      (has(low, first) && !has(low, second) && has(high, second) && !has(high, first)),
  );
}
