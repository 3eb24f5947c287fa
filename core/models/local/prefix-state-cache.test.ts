import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedLocalModel, loadLocalModel, prefixStateFolder } from "./local-model.ts";
import { nextTokenProbabilities } from "./next-token-probabilities.ts";
import { PrefixStateCache, removeStalePrefixFolders } from "./prefix-state-cache.ts";

// Integration: the real SmolLM2-135M GGUF, one sequence; prefixes are read, saved and restored for real.
let loaded: LoadedLocalModel;
let lease: { sequence: LlamaContextSequence; release(): void };
const system = (topic: string) =>
  `<|im_start|>system\nYou are a careful assistant who answers questions about ${topic} in plain words, with one example and no lists.<|im_end|>\n`;
const promptOf = (topic: string, question: string) =>
  loaded.model.tokenize(`${system(topic)}<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n`, true);
const prefixLengthOf = (topic: string) => loaded.model.tokenize(system(topic), true).length;

/** The most likely next token after `prompt`, reusing whatever prefix the sequence holds. */
async function nextToken(sequence: LlamaContextSequence, prompt: readonly Token[]): Promise<Token> {
  return [...(await nextTokenProbabilities(sequence, prompt)).keys()][0]!;
}

beforeAll(async () => {
  loaded = await loadLocalModel({ model: "smollm2-135m", sequences: 1 });
  // The prompts here carry no beginning-of-sequence token; the provider adds one for models that need it.
  expect(loaded.model.tokens.shouldPrependBosToken).toBe(false);
  lease = await loaded.acquireSequence();
});

afterAll(() => lease.release());

describe("PrefixStateCache", () => {
  it("reads a prefix once, keeps it in the sequence, and restores it after the sequence held another", async () => {
    const cache = new PrefixStateCache({ minTokens: 8 });
    const { sequence } = lease;
    const prompt = promptOf("the sea", "Why is it blue?");
    const prefixLength = prefixLengthOf("the sea");
    await sequence.clearHistory();

    expect(await cache.ready(sequence, prompt, prefixLength)).toBe("saved");
    expect(sequence.contextTokens).toEqual(prompt.slice(0, prefixLength));
    expect(await cache.ready(sequence, prompt, prefixLength)).toBe("kept");

    const other = promptOf("volcanoes", "Where are they?");
    expect(await cache.ready(sequence, other, prefixLengthOf("volcanoes"))).toBe("saved");
    expect(await cache.ready(sequence, prompt, prefixLength)).toBe("restored");
    expect(sequence.contextTokens).toEqual(prompt.slice(0, prefixLength));
    expect(cache.counts).toEqual({ kept: 1, restored: 1, saved: 2, skipped: 0 });
    cache.clear();
  });

  it("predicts the same next token from a restored prefix as from a prompt read whole", async () => {
    const cache = new PrefixStateCache({ minTokens: 8 });
    const { sequence } = lease;
    const prompt = promptOf("cooking", "How long do I boil an egg?");
    await sequence.clearHistory();
    const whole = await nextToken(sequence, prompt);

    await sequence.clearHistory();
    await cache.ready(sequence, prompt, prefixLengthOf("cooking"));
    await sequence.clearHistory();
    expect(await cache.ready(sequence, prompt, prefixLengthOf("cooking"))).toBe("restored");
    expect(await nextToken(sequence, prompt)).toBe(whole);
    cache.clear();
  });

  it("keeps at most maxEntries states, dropping the least recently used, and skips short prefixes", async () => {
    const cache = new PrefixStateCache({ maxEntries: 1, minTokens: 8 });
    const { sequence } = lease;
    const first = promptOf("birds", "Can they swim?");
    const second = promptOf("trains", "How fast?");
    expect(await cache.ready(sequence, first, prefixLengthOf("birds"))).toBe("saved");
    expect(await cache.ready(sequence, second, prefixLengthOf("trains"))).toBe("saved");
    expect(cache.size).toBe(1);
    expect(await cache.ready(sequence, first, prefixLengthOf("birds"))).toBe("saved");
    expect(await cache.ready(sequence, first, 4)).toBe("skipped");
    // A prefix as long as the whole prompt leaves nothing to generate from: not cached.
    expect(await cache.ready(sequence, first, first.length)).toBe("skipped");
    cache.clear();
  });

  it("reads the prefix again when a saved state file is damaged", async () => {
    const cache = new PrefixStateCache({ minTokens: 8 });
    const { sequence } = lease;
    const prompt = promptOf("rivers", "Which is longest?");
    const prefixLength = prefixLengthOf("rivers");
    await sequence.clearHistory();
    expect(await cache.ready(sequence, prompt, prefixLength)).toBe("saved");
    const directory = dirname(savedStatePath(cache));
    for (const file of readdirSync(directory)) writeFileSync(`${directory}/${file}`, "not a state file");
    await sequence.clearHistory();
    expect(await cache.ready(sequence, prompt, prefixLength)).toBe("saved");
    expect(sequence.contextTokens).toEqual(prompt.slice(0, prefixLength));
    cache.clear();
  });

  it("keeps states in a shared directory for later processes: another cache restores them, the oldest go first", async () => {
    const directory = mkdtempSync(join(tmpdir(), "rta-prefix-shared-"));
    try {
      const { sequence } = lease;
      const prompt = promptOf("glaciers", "How do they move?");
      const prefixLength = prefixLengthOf("glaciers");
      const first = new PrefixStateCache({ minTokens: 8, directory });
      await sequence.clearHistory();
      expect(await first.ready(sequence, prompt, prefixLength)).toBe("saved");
      first.close(); // the process ends: a shared directory stays
      expect(readdirSync(directory)).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.state$/)]);

      // A later process (a new cache on the same directory) starts from the saved state.
      const later = new PrefixStateCache({ minTokens: 8, maxEntries: 2, directory });
      await sequence.clearHistory();
      expect(await later.ready(sequence, prompt, prefixLength)).toBe("restored");
      expect(sequence.contextTokens).toEqual(prompt.slice(0, prefixLength));

      // The least recently used goes first, by modification time, whoever saved it.
      const [glaciers] = later.statePaths();
      utimesSync(glaciers!, new Date(1_000), new Date(1_000));
      for (const topic of ["deserts", "forests"])
        expect(await later.ready(sequence, promptOf(topic, "Why?"), prefixLengthOf(topic))).toBe("saved");
      expect(later.size).toBe(2);
      await sequence.clearHistory();
      expect(await later.ready(sequence, prompt, prefixLength)).toBe("saved");
      expect(readdirSync(directory).every((name) => name.endsWith(".state"))).toBe(true); // no partial files
      later.clear();
      expect(readdirSync(directory)).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe("PrefixStateCache with a shared folder it cannot write", () => {
  it("keeps its states in a temporary folder of its own, and the turn goes on", async () => {
    const parent = mkdtempSync(join(tmpdir(), "rta-prefix-unwritable-"));
    try {
      const file = join(parent, "a-file");
      writeFileSync(file, "");
      const cache = new PrefixStateCache({ minTokens: 8, directory: join(file, "states") });
      const { sequence } = lease;
      const prompt = promptOf("tides", "Why twice a day?");
      await sequence.clearHistory();
      expect(await cache.ready(sequence, prompt, prefixLengthOf("tides"))).toBe("saved");
      expect(cache.saveFailures).toBe(1);
      expect(sequence.contextTokens).toEqual(prompt.slice(0, prefixLengthOf("tides")));
      await sequence.clearHistory();
      expect(await cache.ready(sequence, prompt, prefixLengthOf("tides"))).toBe("restored");
      expect(cache.statePaths()[0]).not.toContain(parent);
      cache.close();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("removeStalePrefixFolders", () => {
  it("removes other folders whose newest file is older than the limit", () => {
    const root = mkdtempSync(join(tmpdir(), "rta-prefix-root-"));
    try {
      const old = new Date(Date.now() - 30 * 24 * 3_600_000);
      for (const name of ["current", "stale", "in-use"]) {
        mkdirSync(join(root, name));
        writeFileSync(join(root, name, "a.state"), "x");
        utimesSync(join(root, name, "a.state"), old, old);
        utimesSync(join(root, name), old, old);
      }
      writeFileSync(join(root, "in-use", "b.state"), "x"); // written now
      utimesSync(join(root, "in-use"), old, old);
      expect(removeStalePrefixFolders(root, join(root, "current"))).toEqual([join(root, "stale")]);
      expect(readdirSync(root).sort()).toEqual(["current", "in-use"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("loadLocalModel with a prompt-state folder", () => {
  it("shares the model already loaded with the same settings rather than loading a second copy", async () => {
    const again = await loadLocalModel({ model: "smollm2-135m", sequences: 1, prefixStateDirectory: tmpdir() });
    expect(again).toBe(loaded);
  });
});

describe("prefixStateFolder", () => {
  it("names one folder per model file, context layout and node-llama-cpp release", () => {
    const context = { contextTokens: 4096, sequences: 2, nodeLlamaCpp: "3.21.1" };
    const folder = prefixStateFolder("/states", loaded.modelPath, context);
    expect(folder).toMatch(/^\/states\/SmolLM2-135M-Instruct\.Q4_1-[0-9a-f]{16}$/);
    expect(prefixStateFolder("/states", loaded.modelPath, { ...context })).toBe(folder);
    for (const other of [{ contextTokens: 2048 }, { sequences: 1 }, { nodeLlamaCpp: "3.22.0" }])
      expect(prefixStateFolder("/states", loaded.modelPath, { ...context, ...other })).not.toBe(folder);
  });
});

function savedStatePath(cache: PrefixStateCache): string {
  const [path] = cache.statePaths();
  if (!path) throw new Error("no saved state");
  return path;
}
