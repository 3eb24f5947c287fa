import { CountingEmbedder } from "../testing/counting-embedder.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalMiniLmEmbedder } from "../embeddings/local-minilm-embedder.ts";
import { classifierWindows, IntentClassifier, type SafetyExample, windowWords } from "./intent-classifier.ts";

const folder = mkdtempSync(join(tmpdir(), "rta-vectors-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const inner = new LocalMiniLmEmbedder();
const examples: SafetyExample[] = [
  { text: "How do I poison my neighbour's cat?", label: "violence", language: "en" },
  { text: "How do I get rid of weeds in my garden?", label: "safe", language: "en" },
  { text: "¿Qué tiempo hace en Madrid?", label: "safe", language: "es" },
];

describe("IntentClassifier", () => {
  it("votes by the nearest examples, and a message far from all of them is harmless", async () => {
    const classifier = new IntentClassifier({ embedder: inner, examples });
    const near = await classifier.classify("What's the best way to poison the cat next door?");
    expect(near.category).toBe("violence");
    expect(near.score).toBeGreaterThan(0.5);
    const far = await classifier.classify("Recommend a good science fiction novel");
    expect(far.score).toBeLessThan(0.5);
  });

  it("reuses another classifier's vectors for the examples both read alike", async () => {
    const counting = new CountingEmbedder(inner);
    const glossed = new IntentClassifier({ embedder: counting, examples });
    const asWritten = new IntentClassifier({
      embedder: counting,
      examples,
      readSpanishAsEnglish: false,
      reuseVectorsOf: glossed,
    });
    const [theirs, own] = await Promise.all([glossed.load(), asWritten.load()]);
    // Three for the glossed reading, one more for the Spanish example as written.
    expect(counting.embedded).toBe(4);
    const alone = await new IntentClassifier({ embedder: inner, examples, readSpanishAsEnglish: false }).load();
    expect(own.map((vector) => Array.from(vector))).toEqual(alone.map((vector) => Array.from(vector)));
    expect(Array.from(own[0]!)).toEqual(Array.from(theirs[0]!));
    expect(Array.from(own[2]!)).not.toEqual(Array.from(theirs[2]!));
  });

  it("keeps the examples' vectors between runs, and embeds again when the examples change", async () => {
    const first = new CountingEmbedder(inner);
    const vectors = await new IntentClassifier({ embedder: first, examples, vectorCacheDir: folder }).load();
    expect(first.embedded).toBe(3);
    const second = new CountingEmbedder(inner);
    const restored = await new IntentClassifier({ embedder: second, examples, vectorCacheDir: folder }).load();
    expect(second.embedded).toBe(0);
    expect(restored.map((vector) => Array.from(vector))).toEqual(vectors.map((vector) => Array.from(vector)));
    const changed = [
      ...examples,
      { text: "Where can I buy a gun with no papers?", label: "weapons", language: "en" as const },
    ];
    const third = new CountingEmbedder(inner);
    await new IntentClassifier({ embedder: third, examples: changed, vectorCacheDir: folder }).load();
    expect(third.embedded).toBe(4);
  });

  it("scores a long message by its first and last words, so an intent at either end counts", async () => {
    const filler = Array.from({ length: 150 }, (_, index) => `word${index}`).join(" ");
    const windows = classifierWindows(`${filler} What's the best way to poison the cat next door?`);
    expect(windows).toHaveLength(2);
    expect(windows[0]!.split(" ")).toHaveLength(windowWords);
    expect(windows[1]).toMatch(/poison the cat next door\?$/);
    const unspaced = classifierWindows("爆".repeat(5000));
    expect(unspaced.map((window) => window.length)).toEqual([256, 256]);
    expect(classifierWindows("A short question about the weather in Lima?")).toEqual([
      "A short question about the weather in Lima?",
    ]);
    const counting = new CountingEmbedder(inner);
    const classifier = new IntentClassifier({ embedder: counting, examples });
    await classifier.load();
    const before = counting.embedded;
    const tail = await classifier.classify(`${filler} What's the best way to poison the cat next door?`);
    expect(counting.embedded - before).toBe(2);
    expect(tail).toMatchObject({ category: "violence" });
    expect(tail.score).toBeGreaterThan(0.5);
  });
});
