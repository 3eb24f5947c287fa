import {
  Agent,
  type AgentOptions,
  InMemorySessionStore,
  LocalMiniLmEmbedder,
  LocalModelProvider,
  type LocalProviderOptions,
  ToolPredictor,
  createLexicalToolRouter,
  findCatalogueModel,
  loadPrices,
  missingLocalEmbedderFiles,
  localEmbedderModelName,
  resolveModelsRoot,
  startToolWorkers,
  threadsFromEnv,
  confidenceSamplingFromEnv,
  type ThreadSetting,
  type ModelProvider,
  type Logger,
  type SessionLock,
  type SessionStore,
  SemanticCache,
  SafetyGuard,
  SpecialistRouter,
  readSpecialistsFile,
  type ToolRouter,
} from "realtime-agent";
import { join } from "node:path";
import { SyntheticModel } from "realtime-agent";
import { builtInTools } from "./plugin-config.ts";
import { modelFromProviders, providersFromEnv } from "./provider-config.ts";

export interface RuntimeConfig {
  /** `local` (default) or `synthetic`: a scripted model with set latency, for load tests only. */
  model: "local" | "synthetic";
  synthetic: { tokens: number; timeToFirstTokenMs: number; tokenIntervalMs: number };
  modelPath: string | undefined;
  /** A model from the local catalogue (RTA_LOCAL_MODEL); undefined: the catalogue's default. */
  localModel: string | undefined;
  /** CPU threads for the local model (RTA_THREADS: a number or `auto`). */
  threads: ThreadSetting;
  maxToolRounds: number;
  maxInputChars: number;
  maxOutputTokens: number;
  contextTokens: number;
  sequences: number;
  /** Turns recalled whole (RTA_CONTEXT_TURNS, default 50) and a rolling summary every N turns (RTA_SUMMARY_EVERY, default 10; 0: none). */
  contextWindow: { keepTurns: number; summarizeEvery: number };
  /** A message for a session still answering another: queue, reject or interrupt (RTA_WHILE_BUSY). */
  whileBusy: "queue" | "reject" | "interrupt";
  /**
   * Where the local model's evaluated system turns are kept for later processes (RTA_PREFIX_CACHE_DIR;
   * default `<models>/prefix-state`; `off`: only for the process's lifetime).
   */
  prefixStateDirectory?: string;
}

/** Reads configuration from the environment (see README "Configuration"). */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const integer = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    const parsed = Number.parseInt(value, 10);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
    return parsed;
  };
  const model = env.RTA_MODEL ?? "local";
  if (model !== "local" && model !== "synthetic")
    throw new Error(`RTA_MODEL must be "local" or "synthetic", got ${JSON.stringify(model)}.`);
  const whole = (name: string, fallback: number) => {
    const value = env[name];
    const parsed = value === undefined || value === "" ? fallback : Number.parseInt(value, 10);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new Error(`${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}.`);
    return parsed;
  };
  return {
    model,
    synthetic: {
      tokens: whole("RTA_SYNTHETIC_TOKENS", 10),
      timeToFirstTokenMs: whole("RTA_SYNTHETIC_LATENCY_MS", 0),
      tokenIntervalMs: whole("RTA_SYNTHETIC_TOKEN_INTERVAL_MS", 0),
    },
    modelPath: env.RTA_MODEL_PATH || undefined,
    localModel: env.RTA_LOCAL_MODEL ? findCatalogueModel(env.RTA_LOCAL_MODEL).name : undefined,
    threads: threadsFromEnv(env),
    maxToolRounds: integer("RTA_MAX_TOOL_ROUNDS", 3),
    maxInputChars: integer("RTA_MAX_INPUT_CHARS", 8_000),
    maxOutputTokens: integer("RTA_MAX_OUTPUT_TOKENS", 512),
    contextTokens: integer("RTA_CONTEXT_TOKENS", 4096),
    sequences: integer("RTA_PARALLEL_SEQUENCES", 2),
    whileBusy: whileBusyFromEnv(env.RTA_WHILE_BUSY),
    contextWindow: { keepTurns: integer("RTA_CONTEXT_TURNS", 50), summarizeEvery: whole("RTA_SUMMARY_EVERY", 10) },
    ...prefixStateDirectoryFromEnv(env.RTA_PREFIX_CACHE_DIR, env.RTA_MODELS_DIR),
  };
}

/** RTA_PREFIX_CACHE_DIR: a folder, `off`, or unset for the models folder's `prefix-state`. */
function prefixStateDirectoryFromEnv(
  value: string | undefined,
  modelsDir: string | undefined,
): { prefixStateDirectory?: string } {
  if (value === "off") return {};
  return { prefixStateDirectory: value || join(resolveModelsRoot(modelsDir || undefined), "prefix-state") };
}

function whileBusyFromEnv(value: string | undefined): RuntimeConfig["whileBusy"] {
  if (value === undefined || value === "") return "queue";
  if (value === "queue" || value === "reject" || value === "interrupt") return value;
  throw new Error(`RTA_WHILE_BUSY must be queue, reject or interrupt, got ${JSON.stringify(value)}.`);
}

/** The composition root: the embedded defaults (local model, in-process store, built-in plugins). */
export function createRuntime(
  config: RuntimeConfig,
  options: {
    logger?: Logger;
    model?: ModelProvider;
    store?: SessionStore;
    sessionLock?: SessionLock;
    cache?: SemanticCache;
    safety?: SafetyGuard;
    profiles?: boolean;
  } = {},
): Agent {
  return new Agent(runtimeAgentOptions(config, options));
}

export function runtimeAgentOptions(
  config: RuntimeConfig,
  options: {
    logger?: Logger;
    model?: ModelProvider;
    env?: NodeJS.ProcessEnv;
    store?: SessionStore;
    sessionLock?: SessionLock;
    cache?: SemanticCache;
    safety?: SafetyGuard;
    /** Learn and apply users' preferences (AgentOptions.profiles). */
    profiles?: boolean;
  } = {},
): AgentOptions {
  const local = () =>
    new LocalModelProvider({
      ...(config.modelPath ? { modelPath: config.modelPath } : {}),
      ...(config.localModel ? { model: config.localModel } : {}),
      threads: config.threads,
      contextTokens: config.contextTokens,
      sequences: config.sequences,
      maxOutputTokens: config.maxOutputTokens,
      ...(config.prefixStateDirectory ? { prefixStateDirectory: config.prefixStateDirectory } : {}),
      // RTA_CONFIDENCE_CALIBRATION=off: the raw confidence (what a calibration is fitted on).
      ...((options.env ?? process.env).RTA_CONFIDENCE_CALIBRATION === "off"
        ? { confidenceCalibration: false as const }
        : {}),
      // RTA_CONFIDENCE_SAMPLING=every|HEAD:STRIDE: which tokens' probabilities the confidence reads.
      ...confidenceSamplingOption((options.env ?? process.env).RTA_CONFIDENCE_SAMPLING),
    });
  const model =
    options.model ??
    (config.model === "synthetic"
      ? SyntheticModel.streaming(config.synthetic)
      : modelFromProviders(providersFromEnv(options.env ?? process.env, local), options.env ?? process.env));
  const env = options.env ?? process.env;
  const tools = builtInTools(env);
  // CPU-bound tools (the calculator) run in worker threads: start them now, not on the first call.
  if (config.model !== "synthetic") startToolWorkers(tools.list().map((registered) => registered.tool));
  // Small local models choose well among one or two tools, badly among many: route for them by default.
  const routing = env.RTA_TOOL_ROUTING ?? "auto";
  const route = routing === "on" || (routing === "auto" && model instanceof LocalModelProvider);
  return {
    model,
    tools,
    // The server opens a durable store (session-store-config.ts); one-shot commands keep turns in memory.
    store: options.store ?? new InMemorySessionStore({ contextTurns: config.contextWindow.keepTurns }),
    ...(options.sessionLock ? { sessionLock: options.sessionLock } : {}),
    contextWindow: config.contextWindow.summarizeEvery > 0 ? config.contextWindow : false,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.profiles ? { profiles: true } : {}),
    // "Asked again in other words" needs the embedder; without it only the same words count.
    ...(config.model !== "synthetic" && missingLocalEmbedderFiles().length === 0
      ? { implicitFeedback: { embedder: sharedLocalEmbedder() } }
      : {}),
    ...safetyOptions(options.safety ?? (config.model === "synthetic" ? undefined : createSafetyGuard(env)), env),
    maxToolRounds: config.maxToolRounds,
    whileBusy: config.whileBusy,
    maxInputChars: config.maxInputChars,
    maxOutputTokens: config.maxOutputTokens,
    prices: loadPrices(env.RTA_PRICES_FILE),
    ...(route ? { toolRouter: createToolRouter(env, options.logger) } : {}),
    ...specialistOptions(config.model === "synthetic" ? undefined : createSpecialistRouter(env), env),
    // The local model reads its prompt at ~65 tokens/s and loses the user's facts in its own long answers.
    ...(model instanceof LocalModelProvider ? { recallAnswerChars: 300 } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
}

/**
 * The semantic cache `rta serve` answers repeated questions from (RTA_SEMANTIC_CACHE=off turns it
 * off; RTA_CACHE_THRESHOLD sets the similarity, default 0.85), on the local embedder; undefined when
 * the embedder's files are missing.
 */
export function createSemanticCache(env: NodeJS.ProcessEnv): SemanticCache | undefined {
  if (env.RTA_SEMANTIC_CACHE === "off" || missingLocalEmbedderFiles().length > 0) return undefined;
  const threshold = Number(env.RTA_CACHE_THRESHOLD || 0.85);
  if (!(threshold > 0 && threshold <= 1))
    throw new Error(
      `RTA_CACHE_THRESHOLD must be a similarity in (0, 1], got ${JSON.stringify(env.RTA_CACHE_THRESHOLD)}.`,
    );
  return new SemanticCache(sharedLocalEmbedder(), { threshold });
}

/**
 * Specialist agents (RTA_SPECIALISTS): "on" (default) routes each message to the built-in travel,
 * finance, tech or general specialist on the local embedder; a path reads specialists (and examples
 * of their messages) from a JSON file; "off" answers every message as the one general agent.
 * RTA_MAX_CONSULTATIONS (default 1) bounds the consultations between specialists in a turn.
 * Undefined when the local embedder's files are missing.
 */
export function createSpecialistRouter(env: NodeJS.ProcessEnv): SpecialistRouter | undefined {
  const choice = env.RTA_SPECIALISTS || "on";
  if (choice === "off" || missingLocalEmbedderFiles().length > 0) return undefined;
  const vectorCacheDir = exampleVectorsFolder();
  if (choice === "on") return new SpecialistRouter({ embedder: sharedLocalEmbedder(), vectorCacheDir });
  const file = readSpecialistsFile(choice);
  return new SpecialistRouter({
    embedder: sharedLocalEmbedder(),
    specialists: file.specialists,
    ...(file.examples ? { examples: file.examples } : {}),
    vectorCacheDir,
  });
}

function specialistOptions(router: SpecialistRouter | undefined, env: NodeJS.ProcessEnv): Partial<AgentOptions> {
  if (!router) return {};
  const max = env.RTA_MAX_CONSULTATIONS;
  const maxConsultations = max === undefined || max === "" ? 1 : Number(max);
  if (!Number.isInteger(maxConsultations) || maxConsultations < 0)
    throw new Error(`RTA_MAX_CONSULTATIONS must be a whole number ≥ 0, got ${JSON.stringify(max)}.`);
  return { specialists: router, maxConsultations };
}

function safetyOptions(safety: SafetyGuard | undefined, env: NodeJS.ProcessEnv): Partial<AgentOptions> {
  if (!safety) return {};
  const release = env.RTA_OUTPUT_RELEASE;
  if (release !== undefined && release !== "" && release !== "early" && release !== "sentence")
    throw new Error(`RTA_OUTPUT_RELEASE must be "early" or "sentence", got ${JSON.stringify(release)}.`);
  return {
    safety,
    guardOutput: env.RTA_GUARD_OUTPUT !== "off",
    ...(release === "sentence" ? { outputRelease: "sentence" as const } : {}),
  };
}

let localEmbedder: LocalMiniLmEmbedder | undefined;

/** One local embedder per process: the tool predictor, the semantic cache and the safety guard share it. */
export function sharedLocalEmbedder(): LocalMiniLmEmbedder {
  localEmbedder ??= new LocalMiniLmEmbedder();
  return localEmbedder;
}

/**
 * The safety layer (RTA_SAFETY): "auto" (default) runs the rules and, when the local embedder's files
 * are present, the embedding classifiers; "rules" only the rules; "off" none. RTA_GUARD_OUTPUT=off
 * stops checking answers sentence by sentence (they then stream token by token). The synthetic model
 * (load tests of the transport) runs without it unless one is passed. RTA_SAFETY_THRESHOLD sets the
 * classifier's harmful share from which a message is refused (default 0.55; lower refuses more).
 */
export function createSafetyGuard(env: NodeJS.ProcessEnv): SafetyGuard | undefined {
  const choice = env.RTA_SAFETY || "auto";
  if (!["auto", "rules", "off"].includes(choice))
    throw new Error(`RTA_SAFETY must be auto, rules or off, got ${JSON.stringify(choice)}.`);
  if (choice === "off") return undefined;
  const embedderPresent = missingLocalEmbedderFiles().length === 0;
  const threshold = env.RTA_SAFETY_THRESHOLD ? Number(env.RTA_SAFETY_THRESHOLD) : undefined;
  if (threshold !== undefined && !(threshold > 0 && threshold <= 1))
    throw new Error(`RTA_SAFETY_THRESHOLD must be in (0, 1], got ${JSON.stringify(env.RTA_SAFETY_THRESHOLD)}.`);
  return new SafetyGuard({
    ...(choice === "auto" && embedderPresent
      ? {
          embedder: sharedLocalEmbedder(),
          vectorCacheDir: exampleVectorsFolder(),
        }
      : {}),
    ...(threshold !== undefined ? { thresholds: { input: threshold } } : {}),
  });
}

/**
 * The tool router: the embedding predictor (which also decides whether a call is needed) when the
 * local embedder's files are present, else the lexical router. RTA_TOOL_ROUTER=lexical forces the
 * lexical one; the predictor itself falls back to it if the embedder fails to load.
 */
export function createToolRouter(env: NodeJS.ProcessEnv, logger?: Logger): ToolRouter {
  const topK = Number.parseInt(env.RTA_TOOL_ROUTING_TOP_K ?? "2", 10);
  const lexical = createLexicalToolRouter({ topK });
  const choice = env.RTA_TOOL_ROUTER ?? "auto";
  if (!["auto", "embedding", "lexical"].includes(choice))
    throw new Error(`RTA_TOOL_ROUTER must be auto, embedding or lexical, got ${JSON.stringify(choice)}.`);
  const embedderPresent = missingLocalEmbedderFiles().length === 0;
  if (choice === "lexical" || (choice === "auto" && !embedderPresent)) return lexical;
  const predictor = new ToolPredictor({
    embedder: sharedLocalEmbedder(),
    thresholds: { topK },
    vectorCacheDir: exampleVectorsFolder(),
    fallback: lexical,
    ...(logger ? { logger } : {}),
  });
  return predictor.route;
}

function confidenceSamplingOption(value: string | undefined): Pick<LocalProviderOptions, "confidenceSampling"> {
  const sampling = confidenceSamplingFromEnv(value);
  return sampling ? { confidenceSampling: sampling } : {};
}

/** Where the classifiers' and the tool predictor's example vectors are kept between runs. */
function exampleVectorsFolder(): string {
  return join(resolveModelsRoot(), localEmbedderModelName, "vectors");
}
