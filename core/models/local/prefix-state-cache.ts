import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** What {@link PrefixStateCache.ready} did to put a prefix's evaluated state in the sequence. */
export type PrefixReadiness = "kept" | "restored" | "saved" | "skipped";

export interface PrefixStateCacheOptions {
  /** Saved prefixes kept (least recently used goes first; default 64: a warm-up saves up to 56). */
  maxEntries?: number;
  /** Shorter prefixes are read again rather than saved (default 32 tokens). */
  minTokens?: number;
  /**
   * Where states are kept across processes (one folder per model file and context settings: see
   * `prefixStateFolder`); any process with the same model restores what another saved. Without it,
   * states live in a temporary folder removed when the process exits.
   */
  directory?: string;
}

/**
 * Evaluated prompt prefixes (a system turn with its tool list) saved as sequence state files, so a
 * request whose prompt starts like an earlier one, in any session and on either sequence, restores
 * that state in milliseconds instead of reading the tokens again: one CPU thread reads a prompt at
 * ~65 tokens/s, and a tool list is ~300 tokens. A state file holds only what the prefix evaluated
 * (12 KB per token for Qwen2.5-0.5B). Files live in a temporary directory removed when the process
 * exits, or in `directory`, kept for later processes (`rta ask`, a restarted server, an eval run) and
 * shared by those running at once: written whole under a temporary name, then renamed; the least
 * recently used go first, by modification time. One folder per loaded model and context: a state
 * restored into another model is undefined.
 */
export class PrefixStateCache {
  readonly #maxEntries: number;
  readonly #minTokens: number;
  /** Prefix key → state file, least recently used first. */
  readonly #files = new Map<string, string>();
  readonly #saving = new Set<string>();
  #directory: string | undefined;
  /** Whether the directory is kept for other processes (given) rather than this one's (temporary). */
  #shared: boolean;
  readonly counts = { kept: 0, restored: 0, saved: 0, skipped: 0 };
  /** States that could not be written (the prefix was read all the same). */
  saveFailures = 0;

  constructor(options: PrefixStateCacheOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 64);
    this.#minTokens = options.minTokens ?? 32;
    this.#directory = options.directory;
    this.#shared = options.directory !== undefined;
  }

  /** States saved (in a shared directory: by any process). */
  get size(): number {
    return this.#shared ? this.statePaths().length : this.#files.size;
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
    const file = this.#savedFile(key);
    if (file) {
      this.#files.delete(key);
      try {
        await sequence.loadStateFromFile(file, { acceptRisk: true });
        if (sharedLength(sequence.contextTokens, prefix) === prefixLength) {
          this.#files.set(key, file);
          if (this.#shared) touch(file);
          return "restored";
        }
      } catch {
        // A file that cannot be read (or that another process evicted meanwhile) is dropped; the
        // prefix is read again below.
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
      await this.#save(sequence, key);
      return "saved";
    } catch {
      // The prefix is read and in the sequence: only keeping it failed (a folder this process may not
      // write, a full disk). A shared folder is given up for a temporary one of this process's own.
      this.saveFailures += 1;
      if (!this.#shared) return "skipped";
      this.#shared = false;
      this.#directory = undefined;
      try {
        await this.#save(sequence, key);
        return "saved";
      } catch {
        return "skipped";
      }
    } finally {
      this.#saving.delete(key);
    }
  }

  async #save(sequence: LlamaContextSequence, key: string): Promise<void> {
    const path = join(this.#ensureDirectory(), `${key}.state`);
    if (this.#shared) {
      // Written whole before it has its name: another process never reads half a state.
      const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}${partialSuffix}`;
      try {
        await sequence.saveStateToFile(partial);
        renameSync(partial, path);
      } finally {
        rmSync(partial, { force: true });
      }
    } else {
      await sequence.saveStateToFile(path);
    }
    this.#files.set(key, path);
    this.#evict();
  }

  /** The state file saved for `key`, if any (in a shared directory: by any process). */
  #savedFile(key: string): string | undefined {
    const file = this.#files.get(key);
    if (file || !this.#shared) return file;
    const path = join(this.#directory!, `${key}.state`);
    return existsSync(path) ? path : undefined;
  }

  #evict(): void {
    if (this.#shared) {
      const paths = this.statePaths();
      for (const path of paths.slice(0, Math.max(0, paths.length - this.#maxEntries))) {
        rmSync(path, { force: true });
        this.#files.delete(keyOfPath(path));
      }
      removeAbandonedPartials(this.#directory!);
      return;
    }
    while (this.#files.size > this.#maxEntries) {
      const [oldest, path] = this.#files.entries().next().value!;
      this.#files.delete(oldest);
      rmSync(path, { force: true });
    }
  }

  #ensureDirectory(): string {
    if (this.#shared) {
      mkdirSync(this.#directory!, { recursive: true });
      return this.#directory!;
    }
    if (!this.#directory) {
      const directory = mkdtempSync(join(tmpdir(), "rta-prefix-state-"));
      this.#directory = directory;
      process.once("exit", () => rmSync(directory, { recursive: true, force: true }));
    }
    return this.#directory;
  }

  /** The saved state files, least recently used first. */
  statePaths(): string[] {
    if (!this.#shared) return [...this.#files.values()];
    const directory = this.#directory!;
    const modified = (path: string) => {
      try {
        return statSync(path).mtimeMs;
      } catch {
        return Number.NEGATIVE_INFINITY; // evicted by another process meanwhile
      }
    };
    const names = existsSync(directory) ? readdirSync(directory).filter((name) => name.endsWith(".state")) : [];
    return names
      .map((name) => ({ path: join(directory, name), time: modified(join(directory, name)) }))
      .filter((entry) => entry.time !== Number.NEGATIVE_INFINITY)
      .sort((left, right) => left.time - right.time)
      .map((entry) => entry.path);
  }

  /** Deletes every saved state (in a shared directory, other processes' too). */
  clear(): void {
    this.#files.clear();
    if (this.#shared) {
      for (const path of this.statePaths()) rmSync(path, { force: true });
      return;
    }
    if (this.#directory) rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = undefined;
  }

  /** The process is done with the cache: a temporary directory goes, a shared one stays. */
  close(): void {
    if (this.#shared) this.#files.clear();
    else this.clear();
  }
}

/**
 * Removes the folders under `root` other than `current` whose newest file is older than `maxAgeDays`:
 * states of a model, context or node-llama-cpp release no longer used (each folder holds up to 64
 * states of a few MB). A restored state's time is renewed, so a folder in use is never this old.
 */
export function removeStalePrefixFolders(root: string, current: string, maxAgeDays = 14): string[] {
  const removed: string[] = [];
  const cutoff = Date.now() - maxAgeDays * 24 * 3_600_000;
  try {
    for (const name of readdirSync(root)) {
      const folder = join(root, name);
      if (folder === current || !statSync(folder).isDirectory()) continue;
      const newest = Math.max(
        statSync(folder).mtimeMs,
        ...readdirSync(folder).map((file) => statSync(join(folder, file)).mtimeMs),
      );
      if (newest < cutoff) {
        rmSync(folder, { recursive: true, force: true });
        removed.push(folder);
      }
    }
  } catch {
    // A folder another process removed or is writing: left for the next start.
  }
  return removed;
}

const partialSuffix = ".partial";
/** A partial file this old was left by a process that stopped while writing it. */
const abandonedPartialMs = 10 * 60_000;

/** Deletes partial files that processes stopped while writing (killed mid-save). */
function removeAbandonedPartials(directory: string): void {
  try {
    for (const name of readdirSync(directory)) {
      if (!name.endsWith(partialSuffix)) continue;
      const path = join(directory, name);
      if (Date.now() - statSync(path).mtimeMs > abandonedPartialMs) rmSync(path, { force: true });
    }
  } catch {
    // Another process removed it first.
  }
}

/** Marks a state as just used (the shared directory's eviction goes by modification time). */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Evicted by another process meanwhile: it is saved again on its next use.
  }
}

function keyOfPath(path: string): string {
  return basename(path, ".state");
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
