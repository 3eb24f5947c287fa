import { describe, expect, it } from "vitest";
import { LocalMiniLmEmbedder } from "../embeddings/local-minilm-embedder.ts";
import { type CacheScope, normalizeQuestion, SemanticCache } from "./semantic-cache.ts";

// The real local embedder (all-MiniLM-L6-v2), as the cache runs in the product.
const embedder = new LocalMiniLmEmbedder();

const scope: CacheScope = { owner: "alice", tools: "currency@1.0.0,weather@1.0.0", model: "local", language: "en" };
const answer = (text: string, toolsUsed: string[] = []) => ({ text, toolsUsed });

describe("semantic cache", () => {
  it("serves a paraphrase, and reports the nearest similarity on every lookup", async () => {
    const cache = new SemanticCache(embedder);
    await cache.store("What's the weather in Tokyo tomorrow?", scope, answer("Sunny, 18 °C.", ["weather"]));
    const paraphrase = await cache.lookup("what is the weather like in Tokyo tomorrow", scope);
    expect(paraphrase.hit).toMatchObject({ text: "Sunny, 18 °C.", toolsUsed: ["weather"] });
    expect(paraphrase.hit!.similarity).toBeGreaterThanOrEqual(0.85);
    const unrelated = await cache.lookup("Recommend a science fiction book", scope);
    expect(unrelated.hit).toBeUndefined();
    expect(unrelated.nearestSimilarity).toBeLessThan(0.85);
  });

  it("refuses a near-duplicate whose specifics differ, however close its embedding", async () => {
    const cache = new SemanticCache(embedder);
    await cache.store("Convert 100 USD to EUR", scope, answer("100 USD is 92 EUR.", ["currency"]));
    const reversed = await cache.lookup("Convert 100 EUR to USD", scope);
    expect(reversed.hit).toBeUndefined();
    expect(reversed.nearestSimilarity).toBeGreaterThanOrEqual(0.85);
    expect(reversed.refused).toBe("specifics differ");
    await cache.store("What's the weather in Tokyo?", scope, answer("Rain.", ["weather"]));
    expect((await cache.lookup("What's the weather in Kyoto?", scope)).hit).toBeUndefined();
  });

  it("keeps scopes apart: another owner, model, language or tool set never gets the answer", async () => {
    const cache = new SemanticCache(embedder);
    await cache.store("What is my account balance?", scope, answer("1,204 euros."));
    for (const other of [
      { ...scope, owner: "bob" },
      { ...scope, model: "anthropic/claude" },
      { ...scope, language: "es" },
      { ...scope, tools: "currency@2.0.0,weather@1.0.0" },
    ])
      expect((await cache.lookup("What is my account balance?", other)).hit).toBeUndefined();
    expect((await cache.lookup("What is my account balance?", scope)).hit?.text).toBe("1,204 euros.");
  });

  it("expires entries with their TTL, keeps nothing with a TTL of 0, and evicts the least recently used", async () => {
    let now = 1_000_000;
    const cache = new SemanticCache(embedder, { maxEntries: 2, now: () => now });
    await cache.store("Convert 10 USD to JPY", scope, answer("1,480 yen."), { ttlMs: 60_000 });
    await cache.store("Weather in Paris today", scope, answer("Cloudy."), { ttlMs: 0 });
    expect(cache.size).toBe(1);
    now += 61_000;
    expect((await cache.lookup("Convert 10 USD to JPY", scope)).hit).toBeUndefined();
    expect(cache.size).toBe(0);

    await cache.store("Weather in Paris today", scope, answer("Cloudy."));
    await cache.store("Weather in Rome today", scope, answer("Sunny."));
    await cache.lookup("Weather in Paris today", scope); // Paris is now the most recently used
    await cache.store("Weather in Oslo today", scope, answer("Snow."));
    expect(cache.size).toBe(2);
    expect((await cache.lookup("Weather in Rome today", scope)).hit).toBeUndefined();
    expect((await cache.lookup("Weather in Paris today", scope)).hit?.text).toBe("Cloudy.");
  });

  it("invalidates by owner or by tool", async () => {
    const cache = new SemanticCache(embedder);
    await cache.store("Convert 5 GBP to EUR", scope, answer("5.9 EUR.", ["currency"]));
    await cache.store("Weather in Lima today", scope, answer("Mild.", ["weather"]));
    await cache.store("Weather in Lima today", { ...scope, owner: "bob" }, answer("Mild.", ["weather"]));
    expect(cache.invalidate({ tool: "currency" })).toBe(1);
    expect(cache.invalidate({ owner: "bob" })).toBe(1);
    expect(cache.size).toBe(1);
    expect(cache.invalidate()).toBe(1);
  });

  it("normalizes questions before embedding them", () => {
    expect(normalizeQuestion("  ¿Qué   tiempo hace en MADRID?  ")).toBe("qué tiempo hace en madrid");
  });
});
