import { currencyNames, foldCurrencyText } from "./currency-names.ts";

/**
 * Words that name a currency but far more often mean something else: "who won", "real time", "el
 * peso de…", "rand", "Franco", "lira" (the instrument). A request's currencies are read without them;
 * a model that writes one as a code still passes (the tool reads every name).
 */
const ambiguousNames = new Set(["won", "real", "peso", "franco", "rand", "lira", "franc", "corona", "pound", "try"]);

const spellings = Object.entries(currencyNames)
  .flatMap(([code, names]) => [...names, code.toLowerCase()].map((name) => ({ code, name: foldCurrencyText(name) })))
  .filter(({ name }) => !ambiguousNames.has(name))
  .sort((left, right) => right.name.length - left.name.length);
const byFoldedName = new Map(spellings.map(({ code, name }) => [name, code]));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Longest names first, so "canadian dollars" is read before "dollars"; a digit may stand right before
// a name ("100€", "100usd").
const mention = new RegExp(
  `(?<![\\p{L}])(${spellings.map(({ name }) => escapeRegExp(name)).join("|")})(?![\\p{L}])`,
  "gu",
);
/** An amount written right before a currency: "90 euros", "1.500 coronas suecas", "3 000 €". */
const amountBefore = /(\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)*)\s*$/u;
/** Pesos of a country other than Mexico, which the tool's names would read as MXN. */
const otherPesosAfter = /^\s+(?:colombian|argentin|chilen|cuban|uruguay|filipin|dominican)/u;
const otherPesosBefore = /(?:colombian|argentine|chilean|cuban|uruguayan|philippine|dominican)\s+$/u;
/** "un euro", "one pound": one of it; "a dollar" too, but "a euros" is Spanish "to euros". */
const oneBefore = /(?<![\p{L}])(?:one|un|una|uno)\s+$/u;
const aBefore = /(?<![\p{L}])an?\s+$/u;
/** …or right after a currency symbol or code: "€50", "USD 100". */
const amountAfter = /^\s*(\d+(?:[.,]\d+)*)/u;

export interface CurrencyMention {
  code: string;
  /** The amount written next to it, read as a number ("1.500" and "1,500" are 1500, "2,5" is 2.5). */
  amount?: number;
  /** Written as one of it, with no number: "a dollar", "un euro". */
  one?: boolean;
}

/** The currencies a text names, in order, each once, with the amount written next to each. */
export function currenciesMentioned(text: string): CurrencyMention[] {
  const folded = foldCurrencyText(text);
  const mentions: CurrencyMention[] = [];
  for (const match of folded.matchAll(mention)) {
    const code = byFoldedName.get(match[1]!)!;
    const start = match.index ?? 0;
    const end = start + match[1]!.length;
    if (
      match[1] === "pesos" &&
      (otherPesosAfter.test(folded.slice(end, end + 16)) ||
        otherPesosBefore.test(folded.slice(Math.max(0, start - 16), start)))
    )
      continue;
    const written =
      amountBefore.exec(folded.slice(Math.max(0, start - 24), start))?.[1] ??
      (match[1]!.length <= 3 ? amountAfter.exec(folded.slice(end, end + 24))?.[1] : undefined);
    const existing = mentions.find((item) => item.code === code);
    const amount = written === undefined ? undefined : writtenAmount(written);
    const before = folded.slice(Math.max(0, start - 6), start);
    const one = amount === undefined && (oneBefore.test(before) || (aBefore.test(before) && !match[1]!.endsWith("s")));
    if (existing) {
      if (existing.amount === undefined && amount !== undefined) existing.amount = amount;
      if (existing.amount === undefined && one) existing.one = true;
    } else {
      mentions.push({ code, ...(amount !== undefined ? { amount } : {}), ...(one ? { one } : {}) });
    }
  }
  return mentions;
}

/** "1.500", "1,500" and "1 500" → 1500 (a mark before three digits groups thousands); "2,5" → 2.5. */
export function writtenAmount(written: string): number | undefined {
  const grouped = /^\d{1,3}(?:[., ]\d{3})+$/.test(written);
  const value = grouped ? Number(written.replace(/[., ]/g, "")) : Number(written.replace(",", "."));
  return Number.isFinite(value) ? value : undefined;
}
