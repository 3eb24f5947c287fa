import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** What {@link PrefixStateCache.ready} did to put a prefix's evaluated state in the sequence. */
export type PrefixReadiness = "kept" | "restored" | "saved" | "skipped";

export interface PrefixStateCacheOptions {
  /** Saved prefixes kept (least recently used goes first; default 64: a warm-up saves up to 56). */
  maxEntries?: number;
  /** Shorter prefixes are read again rather than saved (default 32 tokens). */
  minTokens?: number;
}

/**
 * Evaluated prompt prefixes (a system turn with its tool list) saved as sequence state files, so a
 * request whose prompt starts like an earlier one, in any session and on either sequence, restores
 * that state in milliseconds instead of reading the tokens again: one CPU thread reads a prompt at
 * ~65 tokens/s, and a tool list is ~300 tokens. A state file holds only what the prefix evaluated
 * (12 KB per token for Qwen2.5-0.5B); files live in a temporary directory removed when the process
 * exits. One cache per loaded model and context: a state restored into another model is undefined.
 */
export class PrefixStateCache {
  readonly #maxEntries: number;
  readonly #minTokens: number;
  /** Prefix key → state file, least recently used first. */
  readonly #files = new Map<string, string>();
  readonly #saving = new Set<string>();
  #directory: string | undefined;
  readonly counts = { kept: 0, restored: 0, saved: 0, skipped: 0 };

  constructor(options: PrefixStateCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 64);
    this.#minTokens = options.minTokens ?? 32;
  }

  get size(): number {
    return this.#files.size;
  }

  /**
   * Leaves `sequence` holding the evaluated state of `tokens[0, prefixLength)`, or of more of `tokens`
   * when it already did. Evaluation that follows (LlamaCompletion, controlledEvaluate) reuses it.
   */
  async ready(
    sequence: LlamaContextSequence,
    tokens: readonly Token[],
    prefixLength: number,
  ): Promise<PrefixReadiness> {
    const readiness = await this.#ready(sequence, tokens, prefixLength);
    this.counts[readiness] += 1;
    return readiness;
  }

  async #ready(sequence: LlamaContextSequence, tokens: readonly Token[], prefixLength: number) {
    if (prefixLength < this.#minTokens || prefixLength >= tokens.length) return "skipped";
    const prefix = tokens.slice(0, prefixLength);
    const shared = sharedLength(sequence.contextTokens, prefix);
    if (shared === prefixLength) return "kept";
    const key = keyOf(prefix);
    const file = this.#files.get(key);
    if (file) {
      this.#files.delete(key);
      try {
        await sequence.loadStateFromFile(file, { acceptRisk: true });
        if (sharedLength(sequence.contextTokens, prefix) === prefixLength) {
          this.#files.set(key, file);
          return "restored";
        }
      } catch {
        // A file that cannot be read is dropped; the prefix is read again below.
      }
      rmSync(file, { force: true });
      await sequence.clearHistory();
    }
    const kept = sharedLength(sequence.contextTokens, prefix);
    if (sequence.nextTokenIndex > kept)
      await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
    await sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(kept));
    if (this.#saving.has(key)) return "saved";
    this.#saving.add(key);
    try {
      const path = join(this.#ensureDirectory(), `${key}.state`);
      await sequence.saveStateToFile(path);
      this.#files.set(key, path);
      this.#evict();
    } finally {
      this.#saving.delete(key);
    }
    return "saved";
  }

  #evict(): void {
    while (this.#files.size > this.#maxEntries) {
      const [oldest, path] = this.#files.entries().next().value!;
      this.#files.delete(oldest);
      rmSync(path, { force: true });
    }
  }

  #ensureDirectory(): string {
    if (!this.#directory) {
      const directory = mkdtempSync(join(tmpdir(), "rta-prefix-state-"));
      this.#directory = directory;
      process.once("exit", () => rmSync(directory, { recursive: true, force: true }));
    }
    return this.#directory;
  }

  /** The saved state files, least recently used first. */
  statePaths(): string[] {
    return [...this.#files.values()];
  }

  /** Deletes every saved state. */
  clear(): void {
    this.#files.clear();
    if (this.#directory) rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = undefined;
  }
}

function sharedLength(left: readonly Token[], right: readonly Token[]): number {
  const end = Math.min(left.length, right.length);
  let index = 0;
  while (index < end && left[index] === right[index]) index += 1;
  return index;
}

function keyOf(tokens: readonly Token[]): string {
  return createHash("sha256")
    .update(new Uint8Array(Uint32Array.from(tokens as readonly number[]).buffer))
    .digest("hex")
    .slice(0, 32);
}
