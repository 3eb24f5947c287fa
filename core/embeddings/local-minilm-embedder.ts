import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Embedder } from "../contracts/embedder.ts";
import { AgentError, messageOf, ProviderError } from "../contracts/errors.ts";

export const localEmbedderModelName = "all-MiniLM-L6-v2";
/** The files transformers.js reads for the quantized model, relative to `<models root>/all-MiniLM-L6-v2`. */
export const localEmbedderFiles = [
  "config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "onnx/model_quantized.onnx",
] as const;
export const localEmbedderSetupCommand = "node scripts/setup-embedder.mjs";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Where models live: an explicit folder, else RTA_MODELS_DIR, else the project's models/ folder. */
export function resolveModelsRoot(explicitRoot?: string): string {
  return explicitRoot ?? process.env.RTA_MODELS_DIR ?? join(projectRoot, "models");
}

/** Files of the local embedder missing under `modelsRoot` (empty when it can load). */
export function missingLocalEmbedderFiles(modelsRoot = resolveModelsRoot()): string[] {
  return localEmbedderFiles
    .map((file) => join(modelsRoot, localEmbedderModelName, file))
    .filter((path) => !existsSync(path));
}

export interface LocalMiniLmEmbedderOptions {
  /** Folder holding `all-MiniLM-L6-v2/` (default: RTA_MODELS_DIR, else the project's models/). */
  modelsRoot?: string;
  /** Texts per model run; longer lists are split (default 32). */
  batchSize?: number;
  /**
   * Vectors of this many recent short texts are kept (default 256; 0: none). A turn embeds its message
   * for the safety guard, the specialist router and the tool predictor: read the same way (the guard's
   * and the router's classifiers both read Spanish through its English gloss), it is embedded once.
   */
  recentTexts?: number;
}

/** Calls with more texts than this (examples being embedded) bypass the recent-texts cache. */
const cachedCallTexts = 8;

type FeatureExtractor = (
  texts: string[],
  options: { pooling: "mean"; normalize: true },
) => Promise<{ data: Float32Array; dims: number[] }>;

/**
 * all-MiniLM-L6-v2 (384 dimensions, int8 ONNX) run in-process by transformers.js: mean pooling over
 * tokens, then L2 normalisation. It is an English model: Spanish text is tokenised into sub-words and
 * embeds far less faithfully, so callers that compare across languages need examples in both. The
 * model loads on the first call and never touches the network (`allowRemoteModels = false`).
 */
export class LocalMiniLmEmbedder implements Embedder {
  readonly id = `local/${localEmbedderModelName}`;
  readonly dimensions = 384;
  readonly #modelsRoot: string;
  readonly #batchSize: number;
  readonly #recentTexts: number;
  /** Recent texts' vectors, oldest first (a Map keeps insertion order). Callers never write to a vector. */
  readonly #recent = new Map<string, Float32Array>();
  #extractor: Promise<FeatureExtractor> | undefined;

  constructor(options: LocalMiniLmEmbedderOptions = {}) {
    this.#modelsRoot = resolveModelsRoot(options.modelsRoot);
    this.#batchSize = Math.max(1, options.batchSize ?? 32);
    this.#recentTexts = Math.max(0, options.recentTexts ?? 256);
  }

  /** Loads the model now rather than on the first `embed`. */
  async load(): Promise<void> {
    await this.#load();
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    if (this.#recentTexts === 0 || texts.length > cachedCallTexts) return this.#embedAll(texts, options);
    const vectors = new Map<string, Float32Array>();
    for (const text of texts) {
      const known = this.#recent.get(text);
      if (known) vectors.set(text, known);
    }
    const missing = [...new Set(texts.filter((text) => !vectors.has(text)))];
    const fresh = await this.#embedAll(missing, options);
    missing.forEach((text, index) => vectors.set(text, fresh[index]!));
    // Used now: each moves to the newest end.
    for (const [text, vector] of vectors) {
      this.#recent.delete(text);
      this.#remember(text, vector);
    }
    return texts.map((text) => vectors.get(text)!);
  }

  #remember(text: string, vector: Float32Array): void {
    this.#recent.set(text, vector);
    while (this.#recent.size > this.#recentTexts) this.#recent.delete(this.#recent.keys().next().value!);
  }

  async #embedAll(texts: readonly string[], options: { signal?: AbortSignal }): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const extract = await this.#load();
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) {
      options.signal?.throwIfAborted();
      const batch = texts.slice(start, start + this.#batchSize);
      let output: Awaited<ReturnType<FeatureExtractor>>;
      try {
        output = await extract(batch, { pooling: "mean", normalize: true });
      } catch (error) {
        throw new ProviderError("EMBEDDER_FAILED", `${this.id} failed: ${messageOf(error)}`, { cause: error });
      }
      for (let row = 0; row < batch.length; row++) {
        vectors.push(output.data.slice(row * this.dimensions, (row + 1) * this.dimensions));
      }
    }
    return vectors;
  }

  #load(): Promise<FeatureExtractor> {
    if (!this.#extractor) {
      this.#extractor = this.#create();
      this.#extractor.catch(() => {
        this.#extractor = undefined;
      });
    }
    return this.#extractor;
  }

  async #create(): Promise<FeatureExtractor> {
    const missing = missingLocalEmbedderFiles(this.#modelsRoot);
    if (missing.length > 0) {
      throw new ProviderError(
        "EMBEDDER_UNAVAILABLE",
        `The local embedder's files are missing (${missing.join(", ")}). Run \`${localEmbedderSetupCommand}\` to fetch ${localEmbedderModelName}.`,
        { details: { missing } },
      );
    }
    try {
      const { env, pipeline } = await import("@xenova/transformers");
      env.allowRemoteModels = false;
      env.localModelPath = this.#modelsRoot;
      const extractor = await pipeline("feature-extraction", localEmbedderModelName, { quantized: true });
      return extractor as unknown as FeatureExtractor;
    } catch (error) {
      if (AgentError.isInstance(error)) throw error;
      throw new ProviderError(
        "EMBEDDER_UNAVAILABLE",
        `${this.id} could not be loaded from ${this.#modelsRoot}: ${messageOf(error)}. Run \`${localEmbedderSetupCommand}\` again.`,
        { cause: error },
      );
    }
  }
}
