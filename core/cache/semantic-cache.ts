import type { Embedder } from "../contracts/embedder.ts";
import { detectLanguage } from "../language/detect-language.ts";
import { spanishGloss } from "../language/spanish-gloss.ts";
import { compareSpecifics } from "./false-hit-guard.ts";
import { createVectorIndex, dot, type VectorIndex } from "./vector-index.ts";

/**
 * What an answer depends on besides the question: a cached answer is only served within the same
 * scope — the same owner (personal answers never cross owners), the same tools and versions, the same
 * model, the same language, and the same preferences that change answers.
 */
export interface CacheScope {
  owner: string;
  /** The offered tools with their versions, e.g. "calculator@1.0.0,weather@1.2.0". */
  tools: string;
  model: string;
  language: string;
  /** Preferences that change answers (length, style), as one string; "" when none. */
  preferences?: string;
}

export interface CachedAnswer {
  text: string;
  toolsUsed: string[];
}

export interface CacheLookup {
  /** The answer to serve, with the similarity of the question it was cached for. */
  hit: (CachedAnswer & { similarity: number; question: string }) | undefined;
  /** The most similar live question's similarity in the scope (reported on every lookup), if any. */
  nearestSimilarity: number | undefined;
  /** Why the nearest entry was not served, when it was close enough but failed the false-hit guard. */
  refused?: "specifics differ" | "specifics unsure";
}

export interface SemanticCacheOptions {
  /** Cosine similarity from which a question counts as the same (seed: 0.85). */
  threshold?: number;
  /** The similarity asked for when the guard is unsure (a sentence-opening word may be a place; default 0.95). */
  unsureThreshold?: number;
  /** Entries kept at most; the least recently used goes first (default 100,000). */
  maxEntries?: number;
  /** How long an entry lives when the caller does not say (default 24 h). */
  defaultTtlMs?: number;
  now?: () => number;
  /** An exact scan instead of the HNSW index (for comparisons; the default where usearch loads is HNSW). */
  exactIndex?: boolean;
}

interface Entry {
  key: bigint;
  question: string;
  vector: Float32Array;
  answer: CachedAnswer;
  scopeKey: string;
  owner: string;
  expiresAt: number;
}

/**
 * Answers kept by the meaning of their question, on a local embedder: a lookup embeds the normalized
 * question and finds the most similar live entry of its scope (an HNSW index per scope, vector-index.ts);
 * it is served when the similarity reaches the threshold and the questions agree on their specifics
 * (numbers, currencies and their direction, places, days, negation). Entries expire with their TTL
 * (the shortest cache TTL of the tools the answer used) and the least recently used go first.
 */
export class SemanticCache {
  readonly #embedder: Embedder;
  readonly #threshold: number;
  readonly #unsureThreshold: number;
  readonly #maxEntries: number;
  readonly #defaultTtlMs: number;
  readonly #now: () => number;
  readonly #exactIndex: boolean;
  /** Each scope's index and entries; the Map of all entries keeps their use order (least recent first). */
  readonly #byScope = new Map<string, { index: VectorIndex; entries: Map<bigint, Entry> }>();
  readonly #entries = new Map<Entry, true>();
  #nextKey = 1n;

  constructor(embedder: Embedder, options: SemanticCacheOptions = {}) {
    this.#embedder = embedder;
    this.#threshold = options.threshold ?? 0.85;
    this.#unsureThreshold = options.unsureThreshold ?? 0.95;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#defaultTtlMs = options.defaultTtlMs ?? 24 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
    this.#exactIndex = options.exactIndex ?? false;
  }

  get size(): number {
    return this.#entries.size;
  }

  get threshold(): number {
    return this.#threshold;
  }

  async lookup(question: string, scope: CacheScope, options: { signal?: AbortSignal } = {}): Promise<CacheLookup> {
    if (!this.#byScope.get(scopeKeyOf(scope))?.entries.size) return { hit: undefined, nearestSimilarity: undefined };
    const [vector] = await this.#embedder.embed([embeddedText(question)], options);
    return this.nearest(question, vector as Float32Array, scope);
  }

  /** `lookup` for a question already embedded (the caller embeds once for several uses). */
  nearest(question: string, vector: Float32Array, scope: CacheScope): CacheLookup {
    const partition = this.#byScope.get(scopeKeyOf(scope));
    if (!partition?.entries.size) return { hit: undefined, nearestSimilarity: undefined };
    const now = this.#now();
    let best: Entry | undefined;
    let bestSimilarity = -1;
    // A few candidates from the index, scored exactly; expired ones leave the cache as they are met.
    for (const key of partition.index.search(vector, 4)) {
      const entry = partition.entries.get(key);
      if (!entry) continue;
      if (entry.expiresAt <= now) {
        this.#remove(entry);
        continue;
      }
      const similarity = dot(vector, entry.vector);
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = entry;
      }
    }
    if (!best) return { hit: undefined, nearestSimilarity: undefined };
    if (bestSimilarity < this.#threshold) return { hit: undefined, nearestSimilarity: bestSimilarity };
    const specifics = compareSpecifics(question, best.question);
    if (specifics === "differ")
      return { hit: undefined, nearestSimilarity: bestSimilarity, refused: "specifics differ" };
    // A sentence-opening word of one question missing from the other may be a place: nearly equal or nothing.
    if (specifics === "unsure" && bestSimilarity < this.#unsureThreshold)
      return { hit: undefined, nearestSimilarity: bestSimilarity, refused: "specifics unsure" };
    this.#entries.delete(best);
    this.#entries.set(best, true);
    return {
      hit: { ...structuredClone(best.answer), similarity: bestSimilarity, question: best.question },
      nearestSimilarity: bestSimilarity,
    };
  }

  /** Keeps an answer for `ttlMs` (default: the cache's); a TTL of 0 or less keeps nothing. */
  async store(
    question: string,
    scope: CacheScope,
    answer: CachedAnswer,
    options: { ttlMs?: number; signal?: AbortSignal; vector?: Float32Array } = {},
  ): Promise<void> {
    const ttlMs = options.ttlMs ?? this.#defaultTtlMs;
    if (ttlMs <= 0) return;
    const vector =
      options.vector ?? ((await this.#embedder.embed([embeddedText(question)], options))[0] as Float32Array);
    const scopeKey = scopeKeyOf(scope);
    const entry: Entry = {
      key: this.#nextKey++,
      question,
      vector,
      answer: structuredClone(answer),
      scopeKey,
      owner: scope.owner,
      expiresAt: this.#now() + ttlMs,
    };
    let partition = this.#byScope.get(scopeKey);
    if (!partition) {
      partition = { index: createVectorIndex(vector.length, { exact: this.#exactIndex }), entries: new Map() };
      this.#byScope.set(scopeKey, partition);
    }
    partition.index.add(entry.key, vector);
    partition.entries.set(entry.key, entry);
    this.#entries.set(entry, true);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (!oldest) break;
      this.#remove(oldest);
    }
  }

  /** Drops entries: all, or an owner's, or those whose answer used a tool. Returns how many. */
  invalidate(filter: { owner?: string; tool?: string } = {}): number {
    let removed = 0;
    for (const entry of [...this.#entries.keys()]) {
      if (filter.owner !== undefined && entry.owner !== filter.owner) continue;
      if (filter.tool !== undefined && !entry.answer.toolsUsed.includes(filter.tool)) continue;
      this.#remove(entry);
      removed++;
    }
    return removed;
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry);
    const partition = this.#byScope.get(entry.scopeKey);
    if (!partition?.entries.delete(entry.key)) return;
    partition.index.remove(entry.key);
    if (partition.entries.size === 0) this.#byScope.delete(entry.scopeKey);
  }
}

/** The question as it is embedded: trimmed, lower case, single spaces, no trailing punctuation. */
export function normalizeQuestion(question: string): string {
  return question
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s¿¡]+|[\s?!.]+$/g, "");
}

/**
 * What is embedded for a question: the normalized question, a Spanish one through its English gloss
 * (the local embedder is English: two Spanish wordings of one question sit as far apart as two
 * questions). The false-hit guard still compares the questions as written.
 */
function embeddedText(question: string): string {
  const normalized = normalizeQuestion(question);
  return detectLanguage(question)?.language === "es" ? spanishGloss(normalized) : normalized;
}

function scopeKeyOf(scope: CacheScope): string {
  return JSON.stringify([scope.owner, scope.tools, scope.model, scope.language, scope.preferences ?? ""]);
}
