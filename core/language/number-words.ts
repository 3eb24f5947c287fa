/**
 * Words for the numbers 2–19 (but 11: Spanish "once" is also English) and the tens, in English and
 * Spanish: what every reader of numbers in words shares (this file, the cache's false-hit guard).
 */
export const basicNumberWords: Readonly<Record<string, number>> = {
  two: 2,
  dos: 2,
  three: 3,
  tres: 3,
  four: 4,
  cuatro: 4,
  five: 5,
  cinco: 5,
  six: 6,
  seis: 6,
  seven: 7,
  siete: 7,
  eight: 8,
  ocho: 8,
  nine: 9,
  nueve: 9,
  ten: 10,
  diez: 10,
  twelve: 12,
  doce: 12,
  thirteen: 13,
  trece: 13,
  fourteen: 14,
  catorce: 14,
  fifteen: 15,
  quince: 15,
  sixteen: 16,
  dieciseis: 16,
  seventeen: 17,
  diecisiete: 17,
  eighteen: 18,
  dieciocho: 18,
  nineteen: 19,
  diecinueve: 19,
  twenty: 20,
  veinte: 20,
  thirty: 30,
  treinta: 30,
  forty: 40,
  cuarenta: 40,
  fifty: 50,
  cincuenta: 50,
  sixty: 60,
  sesenta: 60,
  seventy: 70,
  setenta: 70,
  eighty: 80,
  ochenta: 80,
  ninety: 90,
  noventa: 90,
};

/** Number words as they stand alone ("three days", "diez eventos", "a dozen"), read by `spokenNumbers`. */
const wordValues: Record<string, number> = {
  ...basicNumberWords,
  one: 1,
  uno: 1,
  una: 1,
  eleven: 11,
  once: 11,
  hundred: 100,
  cien: 100,
  dozen: 12,
  docena: 12,
  single: 1,
  double: 2,
  triple: 3,
  veintiuno: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
};

/** Spanish hundreds, which are single words. */
export const spanishHundreds: Readonly<Record<string, number>> = {
  ciento: 100,
  doscientos: 200,
  doscientas: 200,
  trescientos: 300,
  trescientas: 300,
  cuatrocientos: 400,
  cuatrocientas: 400,
  quinientos: 500,
  quinientas: 500,
  seiscientos: 600,
  seiscientas: 600,
  setecientos: 700,
  setecientas: 700,
  ochocientos: 800,
  ochocientas: 800,
  novecientos: 900,
  novecientas: 900,
};

const tens = new Set([20, 30, 40, 50, 60, 70, 80, 90]);
const joiners = new Set(["and", "y"]);

/**
 * The numbers a text writes in words: "three days" → 3, "twenty-five" → 25, "treinta y dos" → 32,
 * "two hundred and five" → 205, "doscientos" → 200, "three thousand" → 3000, "dos mil" → 2000, "a
 * dozen" → 12. English "once" (one time) reads as Spanish 11 only in Spanish text, so the caller says
 * which language the text is in when it knows.
 */
export function spokenNumbers(text: string, language?: "en" | "es"): number[] {
  const words = text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
  const numberOf = (word: string | undefined) =>
    word === undefined || (word === "once" && language !== "es") ? undefined : wordValues[word];
  const found: number[] = [];
  let index = 0;
  /** A number under 1000 from `index` on ("two hundred and five", "doscientos treinta y dos"), or undefined. */
  const belowThousand = (): number | undefined => {
    let total: number | undefined;
    const hundreds = spanishHundreds[words[index] ?? ""] ?? (numberOf(words[index]) === 100 ? 100 : undefined);
    const first = numberOf(words[index]);
    if (hundreds !== undefined) {
      total = hundreds;
      index += 1;
    } else if (first !== undefined && first < 10 && words[index + 1] === "hundred") {
      total = first * 100;
      index += 2;
    }
    if (total !== undefined && joiners.has(words[index] ?? "") && numberOf(words[index + 1]) !== undefined) index += 1;
    const small = numberOf(words[index]);
    if (small === undefined || small >= 100) return total;
    index += 1;
    let rest = small;
    // "twenty five", "treinta y dos": a ten followed by a unit is one number.
    const afterJoiner = joiners.has(words[index] ?? "") ? 1 : 0;
    const unit = numberOf(words[index + afterJoiner]);
    if (tens.has(small) && unit !== undefined && unit < 10) {
      rest += unit;
      index += afterJoiner + 1;
    }
    return (total ?? 0) + rest;
  };
  while (index < words.length) {
    const word = words[index]!;
    if (word === "mil" || word === "thousand") {
      // "mil" alone is a thousand ("mil euros"); after a number it multiplies (handled below).
      found.push(1000);
      index += 1;
      continue;
    }
    const start = index;
    let value = belowThousand();
    if (value === undefined) {
      index = start + 1;
      continue;
    }
    if (words[index] === "thousand" || words[index] === "mil") {
      index += 1;
      value = value * 1000 + (belowThousand() ?? 0);
    }
    found.push(value);
  }
  return found;
}

const scales: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  millions: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
  mil: 1e3,
  millon: 1e6,
  millones: 1e6,
  billon: 1e12,
  billones: 1e12,
};

/**
 * Numbers written with a scale word: "8.5 million" → 8500000, "213 million", "50 mil" (Spanish
 * thousand) → 50000, "3 mil millones" → 3000000000, "$2.5bn" → 2500000000.
 */
export function scaledNumbers(text: string): number[] {
  const folded = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const pattern =
    /(\d+(?:[.,]\d+)?)\s*(mil millones|thousand|millions?|billion|trillion|millon(?:es)?|billon(?:es)?|mil|bn|k)\b/gu;
  const found: number[] = [];
  for (const match of folded.matchAll(pattern)) {
    const amount = Number(match[1]!.replace(",", "."));
    const scale = match[2] === "mil millones" ? 1e9 : scales[match[2]!];
    if (Number.isFinite(amount) && scale !== undefined) found.push(Number((amount * scale).toPrecision(12)));
  }
  return found;
}
