import { englishReading } from "../language/spanish-gloss.ts";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Embedder } from "../contracts/embedder.ts";
import { embedExamples } from "../embeddings/example-vectors.ts";

/** One labelled example the classifier compares a message with. */
export interface SafetyExample {
  text: string;
  /** "safe", "benign", or the harmful category it shows ("violence", "injection"…). */
  label: string;
  language: "en" | "es";
}

/** One line of an examples file (safety's, the specialist router's). */
export const exampleSchema = z.object({
  text: z.string().min(1),
  label: z.string().min(1),
  language: z.enum(["en", "es"]),
});

/** Reads a JSON-lines file of examples (`core/safety/examples/*.jsonl`). */
export function readSafetyExamples(file: URL | string): SafetyExample[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = exampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${String(file)} line ${index + 1}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

export interface IntentScore {
  /** Share of the nearest examples' weight that is harmful (0 … 1). */
  score: number;
  /** The harmful label with the most weight among the nearest, when any is near. */
  category: string | undefined;
  /** Similarity of the single nearest example. */
  nearestSimilarity: number;
  nearestText: string;
  /** Each label's share of the nearest examples' weight, harmless ones included (sums below 1: the floor's vote). */
  shares: Record<string, number>;
}

export interface IntentClassifierOptions {
  embedder: Embedder;
  examples: readonly SafetyExample[];
  /** Labels that count as not harmful (default "safe" and "benign"). */
  harmlessLabels?: readonly string[];
  /** Nearest examples that vote (default 11: chosen by leave-one-out on the project's examples). */
  neighbours?: number;
  /** Sharpness of the vote: each neighbour weighs exp(similarity / temperature) (default 0.1). */
  temperature?: number;
  /**
   * A harmless vote at this similarity joins every vote (default 0.35): a message far from all the
   * examples is not judged by whichever happens to be least far.
   */
  floor?: number;
  /**
   * A folder where the examples' vectors are kept between runs, named by a hash of the embedder and
   * the examples, so a one-shot command does not embed them again (best effort: any failure embeds).
   */
  vectorCacheDir?: string;
  /**
   * Read Spanish examples and messages through their English gloss (default true). The output guard
   * reads the model's sentences as written: its threshold was set on them, and glossed poetry ("la flor
   * se desplaza con su aroma") came near harmful examples.
   */
  readSpanishAsEnglish?: boolean;
  /**
   * A classifier on the same examples and embedder whose vectors are reused for every example both
   * read alike (English ones, when only one reads Spanish through its gloss): each is embedded once.
   */
  reuseVectorsOf?: IntentClassifier;
}

/**
 * A k-nearest-neighbours classifier on sentence embeddings: a message is compared with the labelled
 * examples the project wrote (English and Spanish, harmful requests and their harmless look-alikes:
 * "kill a Python process" beside "kill my neighbour"), and the nearest vote, weighted by similarity.
 * No training step: adding an example changes the answer for what is near it and nothing else.
 */
export class IntentClassifier {
  readonly #options: IntentClassifierOptions;
  readonly #harmless: ReadonlySet<string>;
  #vectors: Promise<Float32Array[]> | undefined;

  constructor(options: IntentClassifierOptions) {
    this.#options = options;
    this.#harmless = new Set(options.harmlessLabels ?? ["safe", "benign"]);
  }

  /** The text as this classifier embeds it (Spanish through its English gloss, unless turned off). */
  readingOf(text: string): string {
    return this.#options.readSpanishAsEnglish === false ? text : englishReading(text);
  }

  get embedder(): Embedder {
    return this.#options.embedder;
  }

  get examples(): readonly SafetyExample[] {
    return this.#options.examples;
  }

  /** Embeds the examples (once; later calls wait for the same work). */
  load(): Promise<Float32Array[]> {
    this.#vectors ??= this.#embedExamples();
    this.#vectors.catch(() => {
      this.#vectors = undefined;
    });
    return this.#vectors;
  }

  async #embedExamples(): Promise<Float32Array[]> {
    const { embedder, examples, vectorCacheDir } = this.#options;
    // Spanish examples and messages are read through their English gloss (spanish-gloss.ts): the
    // embedder is English, and on the project's Spanish set harmful requests refused went 0.525 → 0.934.
    const texts = examples.map((example) => this.readingOf(example.text));
    return embedExamples(embedder, texts, {
      ...(vectorCacheDir ? { cacheDir: vectorCacheDir } : {}),
      embed: (all) => this.#embedOrReuse(all),
    });
  }

  async #embedOrReuse(texts: readonly string[]): Promise<Float32Array[]> {
    const { embedder, examples, reuseVectorsOf: other } = this.#options;
    if (!other || other.examples !== examples || other.embedder !== embedder) return embedder.embed(texts);
    const theirs = await other.load();
    const differs = texts.flatMap((text, index) => (other.readingOf(examples[index]!.text) === text ? [] : [index]));
    const own = await embedder.embed(differs.map((index) => texts[index]!));
    const vectors = [...theirs];
    differs.forEach((index, position) => {
      vectors[index] = own[position]!;
    });
    return vectors;
  }

  /**
   * A long text is scored by its first and its last {@link windowWords} words (embedded together, the
   * higher score wins): embedding costs grow with length, an intent is stated at a message's start or
   * end, and the rules read it whole. On the guard's measurement set (measure-guard.ts, 2 idle cores)
   * input p99 fell from 39.5 ms (whole texts) to 34.8 (64-word windows) and 26.7 (32), p50 ~6 ms, with
   * the same decisions on XSTest, the Spanish set, the everyday requests and BFCL.
   */
  async classify(text: string, options: { signal?: AbortSignal } = {}): Promise<IntentScore> {
    const vectors = await this.#options.embedder.embed(
      classifierWindows(text).map((window) => this.readingOf(window)),
      options,
    );
    const examples = await this.load();
    const scores = vectors.map((vector) => this.scoreVector(vector, examples));
    return scores.reduce((best, score) => (score.score > best.score ? score : best));
  }

  /** The vote for one embedded message; `skip` leaves one example out (leave-one-out tuning). */
  scoreVector(vector: Float32Array, vectors: readonly Float32Array[], skip = -1): IntentScore {
    const k = this.#options.neighbours ?? 11;
    const temperature = this.#options.temperature ?? 0.1;
    const nearest: { index: number; similarity: number }[] = [];
    for (let index = 0; index < vectors.length; index++) {
      if (index === skip) continue;
      const candidate = vectors[index]!;
      let similarity = 0;
      for (let dimension = 0; dimension < vector.length; dimension++)
        similarity += vector[dimension]! * candidate[dimension]!;
      if (nearest.length < k || similarity > nearest[nearest.length - 1]!.similarity) {
        nearest.push({ index, similarity });
        nearest.sort((left, right) => right.similarity - left.similarity);
        if (nearest.length > k) nearest.pop();
      }
    }
    const floor = this.#options.floor ?? 0.35;
    const top = nearest[0];
    if (!top) return { score: 0, category: undefined, nearestSimilarity: 0, nearestText: "", shares: {} };
    const reference = Math.max(top.similarity, floor);
    let total = Math.exp((floor - reference) / temperature);
    let harmful = 0;
    const byLabel = new Map<string, number>();
    for (const { index, similarity } of nearest) {
      const weight = Math.exp((similarity - reference) / temperature);
      const label = this.#options.examples[index]!.label;
      total += weight;
      byLabel.set(label, (byLabel.get(label) ?? 0) + weight);
      if (!this.#harmless.has(label)) harmful += weight;
    }
    const category = [...byLabel.entries()]
      .filter(([label]) => !this.#harmless.has(label))
      .sort((left, right) => right[1] - left[1])[0]?.[0];
    return {
      score: harmful / total,
      shares: Object.fromEntries([...byLabel].map(([label, weight]) => [label, weight / total])),
      category,
      nearestSimilarity: top.similarity,
      nearestText: this.#options.examples[top.index]!.text,
    };
  }
}

/** Words in each window a long text is scored by (see `IntentClassifier.classify`). */
export const windowWords = 32;

/** Characters in each window, for text written without spaces (Chinese, Japanese, one long token). */
const windowChars = 256;

/** The text itself when short; else its first and last {@link windowWords} words (at most 256 characters each). */
export function classifierWindows(text: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const short = words.length <= windowWords * 1.5 && text.length <= windowChars * 1.5;
  if (short) return [text];
  const head = words.slice(0, windowWords).join(" ").slice(0, windowChars);
  const tail = words.slice(-windowWords).join(" ").slice(-windowChars);
  return [head, tail];
}
