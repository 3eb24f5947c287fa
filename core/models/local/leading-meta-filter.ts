import { escapeRegExp } from "../../language/escape-regexp.ts";

/**
 * The words a verdict opens with, slot by slot (each slot's alternatives; `""` where it may be left
 * out): the verdict pattern below, and what an opening still being written is compared with.
 */
const verdictOpenings: ReadonlyArray<ReadonlyArray<readonly string[]>> = [
  [
    ["the"],
    ["provided", "given", ""],
    ["answer", "result", "response", "calculation"],
    ["provided", "given", "you provided", ""],
    ["is", "seems", "looks"],
    ["correct", "right", "accurate"],
  ],
  [
    ["la", "el"],
    ["respuesta", "resultado", "cálculo", "calculo"],
    ["proporcionado", "proporcionada", "dado", "dada", ""],
    ["es", "parece"],
    ["correcto", "correcta", "exacto", "exacta"],
  ],
  [
    ["when", "cuando"],
    ["a", "an", "the", "un", "una", "el", "la"],
    ["tool", "herramienta", "función", "funcion", "function"],
  ],
];

/** An opening's slots as a pattern: the alternatives of each, a slot with `""` optional. */
function openingPattern(slots: ReadonlyArray<readonly string[]>): string {
  return slots
    .map((alternatives, index) => {
      const slot = `${index === 0 ? "" : " "}(?:${alternatives.filter(Boolean).map(escapeRegExp).join("|")})`;
      return alternatives.includes("") ? `(?:${slot})?` : slot;
    })
    .join("");
}

/**
 * A first sentence that only judges the exchange instead of answering: "La respuesta proporcionada es
 * correcta.", "The provided answer is correct." Qwen2.5-Coder-0.5B reads a tool result in the user's
 * turn as an answer to grade and opens with such a verdict (the answers suite's `no_meta_talk`), or
 * with how tools work in general ("Cuando un tool calcula una expresión, se devuelve el resultado en
 * formato de texto."); neither carries a number of the answer.
 */
const [englishVerdict, spanishVerdict, toolTalk] = verdictOpenings.map(openingPattern);
const verdict = new RegExp(
  `^\\s*(?:(?:${englishVerdict}|${spanishVerdict})[^.!?\\n:0-9]{0,40}|${toolTalk}\\b[^.!?\\n:0-9]{0,120})[.!?]\\s*`,
  "i",
);

/** Longest opening held back while it may still turn out to be a verdict. */
const maxHeld = 160;
/** Opening sentences dropped at most. */
const maxDropped = 2;

/**
 * Holds back the start of an answer until its first sentence ends (or it cannot be a verdict), then
 * drops that sentence when it is a verdict on the exchange and releases everything else unchanged.
 */
export class LeadingMetaFilter {
  #held = "";
  #decided = false;
  /** The verdict dropped, until something else is said: an answer that is only a verdict keeps it. */
  #dropped = "";
  #droppedSentences = 0;

  push(chunk: string): string {
    if (this.#decided) return this.#passOn(chunk);
    this.#held += chunk;
    // The model may open with two such sentences ("La respuesta proporcionada es correcta. Cuando un
    // tool calcula…"): after a dropped one, the next is read the same way.
    for (let match = verdict.exec(this.#held); match; match = verdict.exec(this.#held)) {
      this.#dropped += match[0];
      this.#held = this.#held.slice(match[0].length);
      if (++this.#droppedSentences >= maxDropped) return this.#passOn(this.#release(this.#held));
    }
    const sentenceEnded = /[.!?\n]/.test(this.#held);
    if (sentenceEnded || this.#held.length > maxHeld || (this.#held.trim() && !couldBeVerdict(this.#held))) {
      return this.#passOn(this.#release(this.#held));
    }
    return "";
  }

  flush(): string {
    if (!this.#decided) {
      const rest = this.#release(this.#held);
      if (rest.trim()) return rest;
    }
    const dropped = this.#dropped.trimEnd();
    this.#dropped = "";
    return dropped;
  }

  #passOn(text: string): string {
    if (text.trim()) this.#dropped = "";
    return text;
  }

  #release(text: string): string {
    this.#decided = true;
    this.#held = "";
    return text;
  }
}

/** Every opening as its words ("the provided answer is correct", …): a few hundred. */
const verdictOpeningWords: ReadonlyArray<readonly string[]> = verdictOpenings.flatMap((slots) =>
  slots.reduce<string[][]>(
    (openings, alternatives) =>
      openings.flatMap((opening) =>
        alternatives.map((alternative) => (alternative ? [...opening, ...alternative.split(" ")] : opening)),
      ),
    [[]],
  ),
);

/**
 * Whether the text so far may still open a verdict: its words follow one of the openings word for
 * word (the last word, still being written, as the start of one), or an opening is complete. "The
 * result of 17 times 23…" is released at "of"; "The result is…" is held until the sentence ends.
 */
function couldBeVerdict(text: string): boolean {
  const words = text.trimStart().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const lastIsWhole = /\s$/.test(text);
  return verdictOpeningWords.some((opening) =>
    words.every((word, index) => {
      if (index >= opening.length) return true;
      const expected = opening[index]!;
      // The opening's last word may run on ("correct,", "correctly", "tool-based"): `verdict` reads
      // what follows it freely.
      if (index === opening.length - 1 && word.startsWith(expected)) return true;
      return index === words.length - 1 && !lastIsWhole ? expected.startsWith(word) : expected === word;
    }),
  );
}
