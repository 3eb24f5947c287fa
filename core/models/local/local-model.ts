import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { ProviderError, UserInputError } from "../../contracts/errors.ts";
import { type CatalogueModel, type ChatFormatName, resolveLocalModel } from "./model-catalogue.ts";
import { PrefixStateCache, removeStalePrefixFolders } from "./prefix-state-cache.ts";
import { startThreadGovernor } from "./thread-governor.ts";

/** The model path: an explicit one, else a catalogue name, else RTA_MODEL_PATH, else RTA_LOCAL_MODEL, else the default. */
export function resolveModelPath(explicitPath?: string, modelName?: string): string {
  return resolveLocalModel({
    ...(explicitPath ? { modelPath: explicitPath } : {}),
    ...(modelName ? { model: modelName } : {}),
  }).modelPath;
}

/**
 * CPU threads for the local model: a number, or `auto` (a thread per core that other processes leave
 * idle, re-read every 250 ms while decoding: `thread-governor.ts`). llama.cpp's threads spin-wait for
 * each other, so a fixed thread per core lets a single busy neighbour process slow decoding tens of
 * times (benchmarks/reports/local-model-threads.md).
 */
export type ThreadSetting = number | "auto";

/**
 * CPU threads when neither the options nor RTA_THREADS say: `auto`. On 2 cores it decoded as fast as 2
 * threads when the machine was idle and as fast as 1 when another process kept a core busy, from the
 * start or from 3 s in, where 2 fixed threads fell to a third (benchmarks/reports/local-model-threads.md).
 */
export const defaultThreads: ThreadSetting = "auto";

/** RTA_THREADS when set (a positive integer or `auto`), else the default. */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): ThreadSetting {
  const value = env.RTA_THREADS;
  if (value === undefined || value === "") return defaultThreads;
  if (value === "auto") return "auto";
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads <= 0)
    throw new ProviderError(
      "PROVIDER_UNAVAILABLE",
      `RTA_THREADS must be a positive integer or "auto", got ${JSON.stringify(value)}.`,
    );
  return threads;
}

/** The most threads a setting may use: its number, or for `auto` every core the process may use. */
export function maxThreadsOf(setting: ThreadSetting): number {
  return setting === "auto"
    ? Math.max(1, Math.min(availableParallelism(), cpuQuota() ?? Number.POSITIVE_INFINITY))
    : setting;
}

/**
 * The cores a container's CPU quota allows (cgroup v2 `cpu.max`, "200000 100000" → 2), when one is set:
 * `availableParallelism()` counts the host's cores, and a 2-CPU container on a 64-core host must not
 * decode with 64 threads.
 */
export function cpuQuota(readCpuMax = () => readFileSync("/sys/fs/cgroup/cpu.max", "utf8")): number | undefined {
  try {
    const [quota, period] = readCpuMax().trim().split(/\s+/);
    if (!quota || quota === "max" || !period) return undefined;
    const cores = Math.floor(Number(quota) / Number(period));
    return Number.isFinite(cores) && cores >= 1 ? cores : 1;
  } catch {
    return undefined;
  }
}

export interface LocalModelOptions {
  /** Any GGUF file; wins over `model`. */
  modelPath?: string;
  /** A model from the catalogue (catalogue.json), e.g. `smollm2-135m`; default: RTA_LOCAL_MODEL or the catalogue's default. */
  model?: string;
  /** Tokens of context per sequence (default: the catalogue's, else 4096). */
  contextTokens?: number;
  /** Turns that may generate at once; more wait in line (default 2). */
  sequences?: number;
  /** CPU threads (default: RTA_THREADS, else {@link defaultThreads}). */
  threads?: ThreadSetting;
  /**
   * A folder where evaluated system turns are kept for later processes (`prefixStateFolder` picks a
   * subfolder for this model file and context). Default: none, they last as long as the process. The
   * model is loaded once per process and settings: its first loader's folder is the one it uses.
   */
  prefixStateDirectory?: string;
}

export interface LoadedLocalModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  modelPath: string;
  /** The catalogue entry when the file is a named model. */
  catalogueModel: CatalogueModel | undefined;
  /** The prompt format the model was trained on: the catalogue's, else read from the GGUF's chat template. */
  chatFormat: ChatFormatName;
  contextTokens: number;
  /** The thread setting; with `auto`, decoding uses 1 to `maxThreadsOf("auto")` threads as the machine allows. */
  threads: ThreadSetting;
  loadMs: number;
  /** Evaluated system turns (with their tool lists) saved for reuse by any later request. */
  prefixCache: PrefixStateCache;
  acquireSequence(signal?: AbortSignal): Promise<{ sequence: LlamaContextSequence; release(): void }>;
  dispose(): Promise<void>;
}

const loaded = new Map<string, Promise<LoadedLocalModel>>();

/** Loads a GGUF once per process and configuration; every caller shares the same weights and context. */
export function loadLocalModel(options: LocalModelOptions = {}): Promise<LoadedLocalModel> {
  const resolved = resolveLocalModel(options);
  const settings = {
    contextTokens: options.contextTokens ?? resolved.catalogueModel?.contextTokens ?? 4096,
    sequences: options.sequences ?? 2,
    threads: options.threads ?? threadsFromEnv(),
  };
  // Not the prompt-state folder: a second copy of the weights and context (~700 MB for the 0.5B model)
  // for another folder would cost more than sharing the first loader's.
  const key = JSON.stringify({ modelPath: resolved.modelPath, ...settings });
  let pending = loaded.get(key);
  if (!pending) {
    pending = load(resolved.modelPath, resolved.catalogueModel, settings, options.prefixStateDirectory);
    pending.catch(() => loaded.delete(key));
    loaded.set(key, pending);
  }
  return pending;
}

async function load(
  modelPath: string,
  catalogueModel: CatalogueModel | undefined,
  settings: { contextTokens: number; sequences: number; threads: ThreadSetting },
  prefixStateDirectory: string | undefined,
): Promise<LoadedLocalModel> {
  if (!existsSync(modelPath)) {
    const fetch = catalogueModel
      ? `Run \`npm run setup -- ${catalogueModel.name}\` to fetch ${catalogueModel.title} (${Math.round(catalogueModel.bytes / 1e6)} MB)`
      : "Check the path";
    throw new ProviderError(
      "PROVIDER_NOT_CONFIGURED",
      `No local model at ${modelPath}. ${fetch}, set RTA_LOCAL_MODEL to a model that is present (\`rta models\`), or set RTA_MODEL_PATH to a GGUF file.`,
    );
  }
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const started = performance.now();
  const { getLlama, getModuleVersion, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
    progressLogs: false,
  });
  const model = await llama.loadModel({ modelPath });
  const { contextTokens, sequences, threads } = settings;
  const maxThreads = maxThreadsOf(threads);
  const context = await model.createContext({
    contextSize: contextTokens,
    sequences,
    threads: threads === "auto" ? { ideal: maxThreads, min: 1 } : threads,
  });
  const governor = threads === "auto" ? startThreadGovernor(llama, { maxThreads }) : undefined;
  const free: LlamaContextSequence[] = Array.from({ length: sequences }, () => context.getSequence());
  const waiting: Array<(sequence: LlamaContextSequence) => void> = [];
  let stateFolder: string | undefined;
  if (prefixStateDirectory) {
    const nodeLlamaCpp = await getModuleVersion();
    stateFolder = prefixStateFolder(prefixStateDirectory, modelPath, { contextTokens, sequences, nodeLlamaCpp });
    removeStalePrefixFolders(prefixStateDirectory, stateFolder);
  }
  const prefixCache = new PrefixStateCache(stateFolder ? { directory: stateFolder } : {});

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
    catalogueModel,
    chatFormat: catalogueModel?.chatFormat ?? chatFormatOfTemplate(model.fileInfo.metadata.tokenizer?.chat_template),
    contextTokens,
    threads,
    loadMs: performance.now() - started,
    prefixCache,
    acquireSequence,
    dispose: async () => {
      governor?.stop();
      prefixCache.close();
      await context.dispose();
      await model.dispose();
    },
  };
}

/**
 * The subfolder of `root` for states of this model file, context and node-llama-cpp release: a state
 * is raw KV memory, valid only for the weights, context layout and llama.cpp build that wrote it. The
 * file is known by its name, size and modification time (hashing 0.5-1.1 GB would cost seconds).
 */
export function prefixStateFolder(
  root: string,
  modelPath: string,
  context: { contextTokens: number; sequences: number; nodeLlamaCpp: string },
): string {
  const file = statSync(modelPath);
  const identity = JSON.stringify({
    model: basename(modelPath),
    bytes: file.size,
    modified: file.mtimeMs,
    ...context,
  });
  const digest = createHash("sha256").update(identity).digest("hex").slice(0, 16);
  return join(root, `${basename(modelPath).replace(/\.gguf$/i, "")}-${digest}`);
}

/**
 * The format for a GGUF outside the catalogue, from its chat template: Qwen2.5's (Hermes-style tools in
 * `<tools>`, calls in `<tool_call>`), else plain ChatML with SmolLM2's conventions.
 */
export function chatFormatOfTemplate(template: string | undefined): ChatFormatName {
  return template?.includes("<tool_call>") && template.includes("<tools>") ? "qwen2.5" : "smollm2";
}
