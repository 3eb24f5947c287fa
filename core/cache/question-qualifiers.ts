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

/** Whether a pattern of `words` (global, so its position is reset first) occurs in the text. */
function occurs(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  return pattern.test(text);
}

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
    // Spanish qualifies a plural measure after it: "toneladas cortas", "rupias indias", "onzas líquidas".
    const qualifies =
      following !== undefined &&
      !notMeasures.has(following) &&
      (nationalitySuffix.test(following) || (/s$/u.test(word ?? "") && /(?:as|os|es)$/u.test(following)));
    const country = qualifies ? `:${singular(following)}` : "";
    if (symbol) measures.push(measureOf(symbol) ?? symbol);
    else if (word && !notMeasures.has(word)) measures.push(`${measureOf(word) ?? singular(word)}${country}`);
    else measures.push("");
  }
  return measures;
}

/** A word's singular, roughly ("euros" → "euro", "coronas" → "corona"); "percent" is "%". */
export function singular(word: string): string {
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
  [words("median|mediana"), "median"],
  [words("area|área|surface|superficie"), "area"],
  [words("perimeter|perímetro|perimetro"), "perimeter"],
  [words("circumference|circunferencia"), "circumference"],
  [words("volume|volumen"), "volume"],
  [words("diameter|diámetro|diametro"), "diameter"],
  [words("remainder|modulo|resto|residuo"), "remainder"],
  [words("quotient|cociente"), "quotient"],
  [words("round up|rounded up|hacia arriba|redondea arriba|al alza"), "round-up"],
  [words("round down|rounded down|hacia abajo|redondea abajo|a la baja"), "round-down"],
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
];
const ago = words(
  String.raw`([\p{L}\p{N}]+)\s+(?:days?|weeks?|months?|years?)\s+ago|hace\s+([\p{L}\p{N}]+)\s+(?:días?|dias?|semanas?|meses|mes|años?|anos?)`,
);
const weekendWords = words("fin de semana|finde");
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
          .replace(period === "weekend" ? /$^/ : weekendWords, " ");
        const relation = relations.find(([pattern]) => occurs(pattern, near))?.[1];
        if (relation) found.add(`${relation}:${period}`);
      }
    }
  }
  for (const match of lower.matchAll(ago)) found.add(`ago:${match[1] ?? match[2]}`);
  if (occurs(dayAfterTomorrow, lower)) found.add("day+2");
  if (occurs(dayBeforeYesterday, lower)) found.add("day-2");
  return [...found].sort();
}

const monthNames = [
  "january|enero",
  "february|febrero",
  "march|marzo",
  "april|abril",
  String.raw`may(?=\s+\d)|may(?<=\d\s+(?:of\s+)?may)|mayo`,
  "june|junio",
  "july|julio",
  "august|agosto",
  "september|septiembre|setiembre",
  "october|octubre",
  "november|noviembre",
  "december|diciembre",
].map((names) => words(names));

const seasonNames: [RegExp, string][] = [
  [words("spring|primavera"), "spring"],
  [words("summer|verano"), "summer"],
  [words("autumn|fall|otoño|otono"), "autumn"],
  [words("winter|invierno"), "winter"],
  [words("rainy season|wet season|monsoon|temporada de lluvias|época de lluvias|estación lluviosa"), "wet"],
  [words("dry season|temporada seca|época seca|estación seca"), "dry"],
];

/** Seasons named ("in summer" is not "in winter"; "the dry season" is not "the monsoon"), sorted. */
export function seasonsOf(lower: string): string[] {
  return seasonNames.flatMap(([pattern, season]) => (occurs(pattern, lower) ? [season] : []));
}

/** Months named, as m1…m12, sorted ("21 de junio" is not "21 de diciembre"; "may I ask" is no month). */
export function monthsOf(lower: string): string[] {
  return monthNames.flatMap((pattern, index) => (occurs(pattern, lower) ? [`m${index + 1}`] : []));
}

/** Graded adjectives, synonyms together: a comparison asks for one of these at one end. */
const gradedAdjectives: [string, string][] = [
  ["big|large|great|huge|grande|grandes|extenso", "big"],
  ["small|little|tiny|pequeño|pequeña|chico|chica", "small"],
  ["hot|warm|caluroso|calurosa|cálido|cálida|caliente", "hot"],
  ["cold|cool|chilly|frío|fría|frio|fria", "cold"],
  ["cheap|inexpensive|affordable|barato|barata|económico|económica|economico", "cheap"],
  ["expensive|costly|pricey|caro|cara", "expensive"],
  ["fast|quick|rápido|rápida|rapido|veloz", "fast"],
  ["slow|lento|lenta", "slow"],
  ["deep|profundo|profunda", "deep"],
  ["shallow|superficial", "shallow"],
  ["high|tall|alto|alta|elevado", "high"],
  ["low|bajo|baja", "low"],
  ["long|largo|larga", "long"],
  ["short|corto|corta|breve", "short"],
  ["old|ancient|antiguo|antigua|viejo|vieja", "old"],
  ["new|recent|young|nuevo|nueva|reciente|joven", "new"],
  ["good|bueno|buena", "good"],
  ["bad|malo|mala", "bad"],
  ["popular|famous|famoso|famosa|popular", "popular"],
  ["safe|seguro|segura", "safe"],
  ["dangerous|peligroso|peligrosa", "dangerous"],
  ["rich|wealthy|rico|rica", "rich"],
  ["poor|pobre", "poor"],
  ["populous|poblado|poblada", "populous"],
  ["rainy|wet|lluvioso|lluviosa", "rainy"],
  ["dry|seco|seca", "dry"],
  ["close|near|cercano|cercana", "near"],
  ["early|temprano|temprana", "early"],
  ["late|tardío|tardía|tardio|tardia", "late"],
  ["heavy|pesado|pesada", "heavy"],
  ["light|ligero|ligera|liviano|liviana", "light"],
  ["far|distant|lejano|lejana", "far"],
];
const irregular: Record<string, string> = {
  best: "good",
  better: "good",
  mejor: "good",
  mejores: "good",
  worst: "bad",
  worse: "bad",
  peor: "bad",
  peores: "bad",
  most: "many",
  more: "many",
  least: "few",
  fewer: "few",
  fewest: "few",
  mayor: "big",
  menor: "small",
  máximo: "high",
  mínimo: "low",
  maximum: "high",
  max: "high",
  minimum: "low",
  min: "low",
  first: "first",
  primer: "first",
  primero: "first",
  primera: "first",
  last: "last",
  último: "last",
  última: "last",
  ultimo: "last",
  ultima: "last",
};
const adjectiveOf = new Map(
  gradedAdjectives.flatMap(([forms, grade]) => forms.split("|").map((form): [string, string] => [form, grade])),
);

/**
 * The comparisons a question asks for, as graded adjectives ("the hottest month" → hot, "más frío" →
 * cold, "cheapest" / "fastest" → cheap / fast), sorted: two questions that compare differ when these
 * differ. English -est/-er forms and "most"/"more"/"least"; Spanish "más"/"menos" and mayor/menor/mejor/peor.
 */
export function comparisonsOf(lower: string): string[] {
  const found: string[] = [];
  const tokens = lower.match(/\p{L}+/gu) ?? [];
  tokens.forEach((token, index) => {
    if (Object.hasOwn(irregular, token)) {
      const next = adjectiveOf.get(tokens[index + 1] ?? "");
      // "most expensive", "the least safe": the adjective names the comparison.
      found.push(
        next && (token === "most" || token === "more" || token === "least")
          ? `${token === "least" ? "-" : ""}${next}`
          : irregular[token]!,
      );
      return;
    }
    if ((token === "más" || token === "mas" || token === "menos") && adjectiveOf.has(tokens[index + 1] ?? "")) {
      found.push(`${token === "menos" ? "-" : ""}${adjectiveOf.get(tokens[index + 1]!)}`);
      return;
    }
    const stem = /^(\p{L}{2,}?)(?:iest|ier|est|er)$/u.exec(token)?.[1];
    if (!stem || token === "after" || token === "never" || token === "water") return;
    for (const candidate of [stem, `${stem}e`, `${stem}y`, stem.replace(/(\p{L})\1$/u, "$1")]) {
      const grade = adjectiveOf.get(candidate);
      if (grade) {
        found.push(grade);
        return;
      }
    }
  });
  return [...new Set(found)].sort();
}

const beforeWords = words("before|antes");
const afterWords = words("after|después|despues");

/** Which end of "before"/"after" a question asks for. */
export function beforeAfterOf(lower: string): string[] {
  const found: string[] = [];
  if (occurs(beforeWords, lower)) found.push("before");
  if (occurs(afterWords, lower)) found.push("after");
  return found;
}
