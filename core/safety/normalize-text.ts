/**
 * The text the safety layers read: what a user meant, whatever the disguise. Compatibility forms are
 * folded (NFKC: full-width letters, ligatures, styled math letters), invisible characters dropped
 * (zero-width spaces and joiners, soft hyphens, bidi controls), look-alike letters from other scripts
 * (Cyrillic, Greek) mapped to Latin, leetspeak digits and symbols inside words read as letters, and
 * words spelled out with separators ("k.i.l.l", "b o m b") joined. Accents are kept: Spanish needs them
 * to tell words apart, and the classifier has seen both spellings.
 */

const invisible = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

/** Cyrillic and Greek letters that render like Latin ones (a subset of Unicode's confusables). */
const confusables: Record<string, string> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ɡ: "g",
  ο: "o",
  α: "a",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  І: "I",
  Ј: "J",
  Ѕ: "S",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};
const confusablePattern = new RegExp(`[${Object.keys(confusables).join("")}]`, "g");

const leet: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };
/** A word of letters with leet characters inside or at its ends, not a number ("k1ll", "b0mb", "@ss"). */
const leetWord = /(?<![\p{L}\p{N}@$])(?=[\p{L}\d@$]*\p{L})(?=[\p{L}\d@$]*[\d@$])[\p{L}\d@$]{3,}(?![\p{L}\p{N}@$])/gu;
/** Single letters joined by one repeated separator: "k.i.l.l", "b o m b", "h-a-c-k". */
const spelledOut = /(?<![\p{L}\p{N}])\p{L}(?:([.\-_* ])\p{L})(?:\1\p{L}){2,}(?![\p{L}\p{N}])/gu;

export interface NormalizeOptions {
  /**
   * Keep line breaks (runs of other white space still become one space): tool results are read line by
   * line, where a line that starts with "SYSTEM:" or "### Instruction" means something.
   */
  keepLineBreaks?: boolean;
  /** Keep a leading "@" ("@ai-reviewer" in an issue comment is a mention, not "aai-reviewer"). */
  keepMentions?: boolean;
}

export function normalizeForSafety(text: string, options: NormalizeOptions = {}): string {
  let normalized = text.normalize("NFKC").replace(invisible, "");
  normalized = normalized.replace(confusablePattern, (letter) => confusables[letter] ?? letter);
  normalized = normalized.replace(spelledOut, (word) => word.replace(/[.\-_* ]/g, ""));
  normalized = normalized.replace(leetWord, (word) => {
    const mention = options.keepMentions && word.startsWith("@") ? "@" : "";
    return mention + word.slice(mention.length).replace(/[013457@$]/g, (char) => leet[char] ?? char);
  });
  if (!options.keepLineBreaks) return normalized.replace(/\s+/g, " ").trim();
  return normalized
    .replace(/[^\S\n]+/g, " ")
    .replace(/ ?\n\s*/g, "\n")
    .trim();
}
