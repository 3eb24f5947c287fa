import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Embedder } from "../contracts/embedder.ts";
import { embedExamples } from "./example-vectors.ts";

/** A 3-dimension embedder whose vectors come from the text's length; counts the texts it embeds. */
function countingEmbedder(id = "test/lengths"): Embedder & { embedded: string[] } {
  const embedded: string[] = [];
  return {
    id,
    dimensions: 3,
    embedded,
    embed: async (texts) => {
      embedded.push(...texts);
      return texts.map((text) => Float32Array.from([text.length, 1, -1]));
    },
  };
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function cacheFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "rta-example-vectors-"));
  folders.push(folder);
  return folder;
}

describe("embedExamples", () => {
  it("embeds a list once and reads its vectors back in later runs, per embedder and texts", async () => {
    const cacheDir = cacheFolder();
    const texts = ["hello", "what is 2+2?", "weather in Tokyo"];
    const first = countingEmbedder();
    const vectors = await embedExamples(first, texts, { cacheDir });
    expect(first.embedded).toEqual(texts);
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^examples-[0-9a-f]{24}\.f32$/)]);

    const later = countingEmbedder();
    expect(await embedExamples(later, texts, { cacheDir })).toEqual(vectors);
    expect(later.embedded).toEqual([]);

    // Another list, or another embedder's vectors, are not the same file.
    await embedExamples(later, [...texts, "one more"], { cacheDir });
    await embedExamples(countingEmbedder("test/other"), texts, { cacheDir });
    expect(readdirSync(cacheDir)).toHaveLength(3);
  });

  it("embeds again when the kept file is short, and every time without a folder", async () => {
    const cacheDir = cacheFolder();
    const texts = ["a", "bb"];
    await embedExamples(countingEmbedder(), texts, { cacheDir });
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file!), Buffer.alloc(5));
    const again = countingEmbedder();
    expect((await embedExamples(again, texts, { cacheDir }))[1]).toEqual(Float32Array.from([2, 1, -1]));
    expect(again.embedded).toEqual(texts);

    const uncached = countingEmbedder();
    await embedExamples(uncached, texts);
    await embedExamples(uncached, texts);
    expect(uncached.embedded).toHaveLength(4);
  });

  it("embeds through the given function, and only a written file is kept when the folder is not writable", async () => {
    const texts = ["x", "yy"];
    const embedder = countingEmbedder();
    // A folder inside a file cannot be made.
    const file = join(cacheFolder(), "a-file");
    writeFileSync(file, "");
    const through: string[][] = [];
    const vectors = await embedExamples(embedder, texts, {
      cacheDir: join(file, "vectors"),
      embed: async (all) => {
        through.push([...all]);
        return all.map(() => Float32Array.from([0, 0, 1]));
      },
    });
    expect(through).toEqual([texts]);
    expect(vectors).toEqual([Float32Array.from([0, 0, 1]), Float32Array.from([0, 0, 1])]);
    expect(embedder.embedded).toEqual([]);
    expect(readdirSync(dirname(file))).toEqual(["a-file"]);
  });
});
