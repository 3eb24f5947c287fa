/**
 * An embedder turns texts into unit-length vectors, so that a dot product is a cosine similarity.
 * It embeds a whole batch per call (one model run pads and runs them together), returns one vector
 * per text in order, and throws a ProviderError with code EMBEDDER_UNAVAILABLE when its model cannot
 * be loaded (EMBEDDER_FAILED when a loaded model fails). The tool predictor, the semantic cache and
 * the safety layer share it.
 */
export interface Embedder {
  /** Names the model, e.g. `local/all-MiniLM-L6-v2`: vectors from different ids are not comparable. */
  readonly id: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
  /** Loads the model now rather than on the first `embed` (a process starting its first turn). */
  load?(): Promise<void>;
  close?(): Promise<void>;
}

/** Cosine similarity of two unit-length vectors (their dot product). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += a[index]! * b[index]!;
  return sum;
}
