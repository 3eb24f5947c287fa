/**
 * Holds streamed text back until a sentence is complete, so it can be checked before it is shown:
 * a sentence ends at `.`, `!`, `?` or `…` followed by white space (not "2.5" nor "e.g.x"), or at a
 * line break. A run of text with no end is released at a space once it passes `maxChars`, so a list
 * without punctuation still streams.
 */
export class SentenceGate {
  readonly #maxChars: number;
  #held = "";

  constructor(maxChars = 240) {
    this.#maxChars = maxChars;
  }

  /** The text held back: the start of a sentence that has not ended yet. */
  get held(): string {
    return this.#held;
  }

  /** Adds streamed text; returns the sentences it completed, in order. */
  push(text: string): string[] {
    this.#held += text;
    const ready: string[] = [];
    for (;;) {
      const end = sentenceEnd(this.#held);
      if (end > 0) {
        ready.push(this.#held.slice(0, end));
        this.#held = this.#held.slice(end);
        continue;
      }
      if (this.#held.length > this.#maxChars) {
        const space = this.#held.lastIndexOf(" ", this.#maxChars);
        const cut = space > 0 ? space + 1 : this.#maxChars;
        ready.push(this.#held.slice(0, cut));
        this.#held = this.#held.slice(cut);
        continue;
      }
      return ready;
    }
  }

  /** The text still held (the last sentence, when the stream ends without a sentence end). */
  flush(): string {
    const rest = this.#held;
    this.#held = "";
    return rest;
  }
}

/** Index just past the first sentence end (with the white space after it), or 0. */
function sentenceEnd(text: string): number {
  // Each run of end marks is tried from its first mark only (a lookbehind), so a long run costs one pass.
  const match = /(?<![\d.!?…])[.!?…]+["')\]]*\s+|(?<=\d)(?<![.!?…])[.!?…]+["')\]]*\s+(?=\D)|\n+/.exec(text);
  return match ? match.index + match[0].length : 0;
}
