import { describe, expect, it } from "vitest";
import { cosineSimilarity, type Embedder } from "../contracts/embedder.ts";

/**
 * The behaviour every Embedder must have: one unit-length vector of `dimensions` numbers per text, in
 * order; the same text gives the same vector alone or in a batch; a paraphrase is closer than an
 * unrelated sentence. Each implementation's test file calls this with a factory.
 */
export function runEmbedderContract(name: string, createEmbedder: () => Promise<Embedder> | Embedder) {
  describe(`Embedder contract: ${name}`, () => {
    it("returns one unit-length vector per text, in order", async () => {
      const embedder = await createEmbedder();
      const texts = ["The cat sits on the mat.", "Stock markets fell sharply today.", "¿Qué hora es?"];
      const vectors = await embedder.embed(texts);
      expect(vectors).toHaveLength(texts.length);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector).toHaveLength(embedder.dimensions);
        expect(Math.sqrt(cosineSimilarity(vector, vector))).toBeCloseTo(1, 4);
      }
      expect(cosineSimilarity(vectors[0]!, vectors[1]!)).toBeLessThan(0.99);
    });

    it("embeds a text the same way alone and inside a batch", async () => {
      const embedder = await createEmbedder();
      const [alone] = await embedder.embed(["Convert 100 dollars to euros"]);
      const batch = await embedder.embed([
        "a much longer sentence that makes the batch pad",
        "Convert 100 dollars to euros",
      ]);
      expect(cosineSimilarity(alone!, batch[1]!)).toBeGreaterThan(0.999);
    });

    it("puts a paraphrase closer than an unrelated sentence", async () => {
      const embedder = await createEmbedder();
      const [question, paraphrase, unrelated] = await embedder.embed([
        "What is the weather like in Paris today?",
        "Is it raining in Paris right now?",
        "Convert one hundred dollars into euros.",
      ]);
      expect(cosineSimilarity(question!, paraphrase!)).toBeGreaterThan(cosineSimilarity(question!, unrelated!) + 0.2);
    });

    it("returns nothing for no texts", async () => {
      const embedder = await createEmbedder();
      expect(await embedder.embed([])).toEqual([]);
    });
  });
}
