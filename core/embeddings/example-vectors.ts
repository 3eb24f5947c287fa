import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Embedder } from "../contracts/embedder.ts";

export interface ExampleVectorsOptions {
  /**
   * A folder where the vectors are kept between runs, in a file named by the embedder and the texts:
   * a process that starts with the same examples reads them instead of embedding them again.
   */
  cacheDir?: string;
  /** How the texts are embedded when they are not kept (default: `embedder.embed`). */
  embed?: (texts: readonly string[]) => Promise<Float32Array[]>;
}

/**
 * The vectors of a fixed list of example texts (a classifier's or a router's), read from the cache
 * folder when an earlier run kept them, else embedded and kept. Embedding a few hundred examples costs
 * a starting process seconds on the CPU; a read file, milliseconds. A file that is missing, short or
 * unreadable is embedded again; a folder that cannot be written costs only the next run the embedding.
 */
export async function embedExamples(
  embedder: Embedder,
  texts: readonly string[],
  options: ExampleVectorsOptions = {},
): Promise<Float32Array[]> {
  const embed = options.embed ?? ((all: readonly string[]) => embedder.embed(all));
  const { cacheDir } = options;
  if (!cacheDir || texts.length === 0) return embed(texts);
  const key = createHash("sha256").update(embedder.id).update("\u0000").update(texts.join("\u0000")).digest("hex");
  const file = join(cacheDir, `examples-${key.slice(0, 24)}.f32`);
  const size = texts.length * embedder.dimensions;
  try {
    const bytes = readFileSync(file);
    if (bytes.byteLength === size * 4) {
      const all = new Float32Array(bytes.buffer, bytes.byteOffset, size);
      return texts.map((_, index) => all.slice(index * embedder.dimensions, (index + 1) * embedder.dimensions));
    }
  } catch {
    // Not kept yet, or unreadable: embedded below.
  }
  const vectors = await embed(texts);
  // Written whole under a name of its own, then renamed: processes starting together never read half.
  const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
  try {
    const all = new Float32Array(size);
    vectors.forEach((vector, index) => all.set(vector, index * embedder.dimensions));
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(partial, Buffer.from(all.buffer));
    renameSync(partial, file);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // The folder itself could not be made: there is no partial file.
    }
  }
  return vectors;
}
