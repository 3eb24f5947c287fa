import { readFileSync } from "node:fs";
import { detectLanguage } from "./detect-language.ts";
import { escapeRegExp } from "./escape-regexp.ts";

/**
 * A word-by-word English reading of a Spanish text ("¿Va a llover mañana en Bogotá?" → "goes to rain
 * tomorrow morning in Bogotá"), for the local English-only sentence embedder (all-MiniLM-L6-v2): a
 * Spanish sentence embeds close to every other Spanish sentence and far from its English meaning,
 * while its gloss lands near English requests of the same meaning. Not a translation: no grammar, both
 * senses of ambiguous words ("tiempo" → "weather time"); names, numbers and unknown words stay as they
 * are. Multi-word expressions whose words mislead ("tipo de cambio", "fin de semana", "hace calor") are
 * read first. The glossary (about 10,000 forms) and expressions (about 350) were written for the
 * project, apart from every eval set.
 */
export function spanishGloss(text: string): string {
  const { words, phrases } = loadGlossary();
  // One pass: an expression's English gloss is never read again as Spanish ("una vez" → "once", not
  // "a eleven").
  return text
    .toLowerCase()
    .replace(phrases.pattern, (match) => {
      const phrase = phrases.glosses.get(match);
      return phrase === undefined ? (words.get(match) ?? match) : ` ${phrase} `;
    })
    .replace(/[¿¡]/gu, "")
    .replace(/\s+/gu, " ")
    .trim();
}

interface Glossary {
  words: Map<string, string>;
  phrases: { pattern: RegExp; glosses: Map<string, string> };
}
let glossary: Glossary | undefined;

function loadGlossary(): Glossary {
  if (glossary) return glossary;
  const read = (file: string) =>
    new Map(Object.entries(JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as Record<string, string>));
  const words = read("./spanish-english-glossary.json");
  const glosses = read("./spanish-english-phrases.json");
  // Longest first, whole words only: "a cuánto está" before "a cuánto".
  const alternatives = [...glosses.keys()].sort((left, right) => right.length - left.length).map(escapeRegExp);
  // An expression where one starts, else a word.
  const pattern = new RegExp(`(?<![\\p{L}])(?:${alternatives.join("|")})(?![\\p{L}])|\\p{L}+`, "gu");
  glossary = { words, phrases: { pattern, glosses } };
  return glossary;
}

/** A text as the English-only embedder reads it best: a Spanish text's gloss, any other as written. */
export function englishReading(text: string): string {
  return detectLanguage(text)?.language === "es" ? spanishGloss(text) : text;
}
