import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { ProviderError, UserInputError } from "../../contracts/errors.ts";

export const defaultModelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf";
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The model path: an explicit one, else RTA_MODEL_PATH, else the file `npm run setup` fetched. */
export function resolveModelPath(explicitPath?: string): string {
  return (
    explicitPath ??
    process.env.RTA_MODEL_PATH ??
    join(process.env.RTA_MODELS_DIR ?? join(projectRoot, "models"), defaultModelFileName)
  );
}

export interface LocalModelOptions {
  modelPath?: string;
  /** Tokens of context per sequence (default 4096). */
  contextTokens?: number;
  /** Turns that may generate at once; more wait in line (default 2). */
  sequences?: number;
  /** CPU threads (default: all available cores). */
  threads?: number;
}

export interface LoadedLocalModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  modelPath: string;
  contextTokens: number;
  loadMs: number;
  acquireSequence(signal?: AbortSignal): Promise<{ sequence: LlamaContextSequence; release(): void }>;
  dispose(): Promise<void>;
}

const loaded = new Map<string, Promise<LoadedLocalModel>>();

/** Loads a GGUF once per process and configuration; every caller shares the same weights and context. */
export function loadLocalModel(options: LocalModelOptions = {}): Promise<LoadedLocalModel> {
  const modelPath = resolveModelPath(options.modelPath);
  const key = JSON.stringify({ ...options, modelPath });
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(modelPath, options);
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}

async function load(modelPath: string, options: LocalModelOptions): Promise<LoadedLocalModel> {
  if (!existsSync(modelPath)) {
    throw new ProviderError(
      "PROVIDER_NOT_CONFIGURED",
      `No local model at ${modelPath}. Run \`npm run setup\` to fetch SmolLM2-135M-Instruct, or set RTA_MODEL_PATH to a GGUF file.`,
    );
  }
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const started = performance.now();
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath });
  const contextTokens = options.contextTokens ?? 4096;
  const sequences = options.sequences ?? 2;
  const context = await model.createContext({
    contextSize: contextTokens,
    sequences,
    threads: options.threads ?? availableParallelism(),
  });
  const free: LlamaContextSequence[] = Array.from({ length: sequences }, () => context.getSequence());
  const waiting: Array<(sequence: LlamaContextSequence) => void> = [];

  const acquireSequence = async (signal?: AbortSignal) => {
    let sequence = free.pop();
    if (!sequence) {
      sequence = await new Promise<LlamaContextSequence>((resolvePromise, reject) => {
        const onAbort = () => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          reject(new UserInputError("TURN_ABORTED", "Aborted while waiting for the local model."));
        };
        const grant = (granted: LlamaContextSequence) => {
          signal?.removeEventListener("abort", onAbort);
          resolvePromise(granted);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        waiting.push(grant);
      });
    }
    let released = false;
    const leased = sequence;
    return {
      sequence: leased,
      release: () => {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next) next(leased);
        else free.push(leased);
      },
    };
  };

  return {
    llama,
    model,
    context,
    modelPath,
    contextTokens,
    loadMs: performance.now() - started,
    acquireSequence,
    dispose: async () => {
      await context.dispose();
      await model.dispose();
    },
  };
}
