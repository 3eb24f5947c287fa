export interface AbuseTrackerOptions {
  /** Blocks within `windowMs` that block the key itself (default 5). */
  maxBlocks?: number;
  /** How far back blocks count (default 10 minutes). */
  windowMs?: number;
  /** How long a key stays blocked (default 15 minutes). */
  blockMs?: number;
  /** Keys tracked at most; the least recently blocked are forgotten first (default 10,000). */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Per-key abuse tracking: a key (API key, owner) whose messages were blocked `maxBlocks` times within
 * `windowMs` is blocked outright for `blockMs`, whatever it sends. In memory, bounded.
 */
export class AbuseTracker {
  readonly #maxBlocks: number;
  readonly #windowMs: number;
  readonly #blockMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** Per key: times of recent blocks, and until when the key is blocked. */
  readonly #keys = new Map<string, { blocks: number[]; blockedUntil: number }>();

  constructor(options: AbuseTrackerOptions = {}) {
    this.#maxBlocks = options.maxBlocks ?? 5;
    this.#windowMs = options.windowMs ?? 10 * 60_000;
    this.#blockMs = options.blockMs ?? 15 * 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  isBlocked(key: string): boolean {
    const entry = this.#keys.get(key);
    return entry !== undefined && entry.blockedUntil > this.#now();
  }

  /** Counts one blocked message; returns whether the key is now blocked itself. */
  recordBlock(key: string): boolean {
    const now = this.#now();
    const entry = this.#keys.get(key) ?? { blocks: [], blockedUntil: 0 };
    this.#keys.delete(key);
    this.#keys.set(key, entry);
    entry.blocks = entry.blocks.filter((time) => time > now - this.#windowMs);
    entry.blocks.push(now);
    if (entry.blocks.length >= this.#maxBlocks) {
      entry.blockedUntil = now + this.#blockMs;
      entry.blocks = [];
    }
    if (this.#keys.size > this.#maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    return entry.blockedUntil > now;
  }
}
