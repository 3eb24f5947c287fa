/** How an answer's unfinished sentence may be shown before it ends. */
export interface EarlyReleaseOptions {
  /** Words of the unfinished sentence kept back: the check reads them, the user does not yet. */
  lookaheadWords: number;
  /** After the first words shown, more are shown this many at a time (one check each). */
  stepWords: number;
  /**
   * Sentences of a response shown early; later ones wait for their end. The first is the wait before
   * anything shows; once the user reads, a check every few words costs the model's decode CPU time.
   */
  sentences: number;
}

/** Two words read ahead, three words a step, the first sentence. */
export const defaultEarlyRelease: EarlyReleaseOptions = { lookaheadWords: 2, stepWords: 3, sentences: 1 };

/**
 * Shows the start of an unfinished sentence once the output check passed it together with the words
 * that follow it, instead of holding the whole sentence until it ends: the sentence gate's first
 * sentence is most of the time to the first word a user sees. What is shown was checked as the
 * sentence so far plus `lookaheadWords` more; a sentence whose start the check does not pass is held
 * whole until it ends. Blocking is decided on whole sentences only, as before, so a start the check
 * leans against does not refuse an answer the whole sentence clears.
 */
export class EarlyRelease {
  readonly #options: EarlyReleaseOptions;
  /** Characters of the held sentence already shown. */
  #shown = 0;
  #holding = false;
  /** Sentences ended so far. */
  #ended = 0;

  constructor(options: EarlyReleaseOptions = defaultEarlyRelease) {
    this.#options = options;
  }

  /**
   * What of the held, unfinished sentence could be shown next, once `probe` (the sentence so far) passes
   * the check: every word but the last `lookaheadWords` and a last word that may still be growing, from the
   * first word until something is shown, then `stepWords` at a time. Undefined when there is nothing.
   */
  candidate(held: string): { show: string; probe: string } | undefined {
    if (this.#holding || this.#ended >= this.#options.sentences) return undefined;
    const starts = wordStarts(held);
    const growing = /\s$/.test(held) ? 0 : 1;
    const releasable = starts.length - this.#options.lookaheadWords - growing;
    if (releasable < 1) return undefined;
    const cut = starts[releasable]!;
    if (cut <= this.#shown) return undefined;
    if (this.#shown > 0 && countWords(held.slice(this.#shown, cut)) < this.#options.stepWords) return undefined;
    return { show: held.slice(this.#shown, cut), probe: held };
  }

  /** Characters of the unfinished sentence shown so far (0 when none). */
  get showing(): number {
    return this.#shown;
  }

  /** `text` (the candidate's `show`) was shown. */
  shown(text: string): void {
    this.#shown += text.length;
  }

  /** The check did not pass the sentence so far: nothing more of it is shown before it ends. */
  hold(): void {
    this.#holding = true;
  }

  /**
   * A sentence ended (checked whole): the part of it not shown yet; the next sentence starts fresh.
   * A run cut at the gate's length limit may be shorter than what was shown of it: the rest of what
   * was shown then belongs to the next one.
   */
  rest(sentence: string): string {
    if (this.#shown >= sentence.length) {
      this.#shown -= sentence.length;
      return "";
    }
    const rest = sentence.slice(this.#shown);
    this.#shown = 0;
    this.#holding = false;
    if (sentence.trim()) this.#ended++;
    return rest;
  }
}

/** Index of each word's first character (a word: a run of non-space characters). */
function wordStarts(text: string): number[] {
  const starts: number[] = [];
  const word = /\S+/g;
  for (let match = word.exec(text); match; match = word.exec(text)) starts.push(match.index);
  return starts;
}

function countWords(text: string): number {
  return wordStarts(text).length;
}
