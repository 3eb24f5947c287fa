import type { Embedder } from "../contracts/embedder.ts";

/** Counts the texts it is asked to embed, around a real embedder: tests of what is embedded once. */
export class CountingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  embedded = 0;

  constructor(readonly inner: Embedder) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded += texts.length;
    return this.inner.embed(texts);
  }
}
