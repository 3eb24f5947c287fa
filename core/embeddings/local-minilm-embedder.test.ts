import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cosineSimilarity } from "../contracts/embedder.ts";
import { AgentError } from "../contracts/errors.ts";
import { runEmbedderContract } from "./embedder-contract.ts";
import { LocalMiniLmEmbedder, missingLocalEmbedderFiles } from "./local-minilm-embedder.ts";

const shared = new LocalMiniLmEmbedder();

// The real model (3 ms a sentence); `npm test` fetches it first (scripts/ensure-ready.mjs).
describe("LocalMiniLmEmbedder with its model files", () => {
  runEmbedderContract("local all-MiniLM-L6-v2", () => shared);

  it("ranks known sentence pairs as the upstream model does", async () => {
    const [weather, rain, dollars, euros, hello] = await shared.embed([
      "What is the weather in Paris?",
      "Will it rain in Paris today?",
      "Convert 100 dollars to euros",
      "How many euros is 100 US dollars?",
      "Hello, how are you?",
    ]);
    expect(cosineSimilarity(weather!, rain!)).toBeGreaterThan(0.6);
    expect(cosineSimilarity(dollars!, euros!)).toBeGreaterThan(0.6);
    expect(cosineSimilarity(weather!, dollars!)).toBeLessThan(0.35);
    expect(cosineSimilarity(hello!, euros!)).toBeLessThan(0.35);
  });

  it("embeds a recent short text once: the guard, the router and the tool predictor share its vector", async () => {
    const [first] = await shared.embed(["Will it rain in Lisbon?"]);
    const [again, other] = await shared.embed(["Will it rain in Lisbon?", "Convert 5 euros to yen"]);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // Lists of examples are embedded as they come, not kept.
    const many = Array.from({ length: 12 }, (_, index) => `Example number ${index}`);
    const [firstOfMany] = await shared.embed(many);
    expect((await shared.embed(many))[0]).not.toBe(firstOfMany);
    expect((await shared.embed(many))[0]).toEqual(firstOfMany);
    // The oldest text leaves when the cache is full.
    const small = new LocalMiniLmEmbedder({ recentTexts: 1 });
    const [a] = await small.embed(["first text"]);
    await small.embed(["second text"]);
    const [aAgain] = await small.embed(["first text"]);
    expect(aAgain).not.toBe(a);
    expect(aAgain).toEqual(a);
  });

  it("wraps a failure inside the model's pipeline in EMBEDDER_FAILED", async () => {
    // A text the tokenizer cannot read (only a caller bypassing the types can send one).
    const unreadable = null as unknown as string;
    await expect(shared.embed([unreadable])).rejects.toMatchObject({ code: "EMBEDDER_FAILED", fault: "provider" });
  });
});

describe("LocalMiniLmEmbedder without its model files", () => {
  const emptyRoot = mkdtempSync(join(tmpdir(), "rta-no-embedder-"));
  afterAll(() => rmSync(emptyRoot, { recursive: true, force: true }));

  it("fails with EMBEDDER_UNAVAILABLE naming the setup command, and tries again on the next call", async () => {
    const embedder = new LocalMiniLmEmbedder({ modelsRoot: emptyRoot });
    const failure = await embedder.embed(["hello"]).catch((error: unknown) => error);
    expect(AgentError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: "EMBEDDER_UNAVAILABLE", fault: "provider" });
    expect((failure as Error).message).toContain("node scripts/setup-embedder.mjs");
    await expect(embedder.embed(["hello"])).rejects.toMatchObject({ code: "EMBEDDER_UNAVAILABLE" });
  });

  it("lists the files it needs", () => {
    expect(missingLocalEmbedderFiles(emptyRoot)).toHaveLength(5);
  });
});
