export * from "./contracts/index.ts";
export { Agent, type AgentOptions, type TurnInput } from "./agent/agent.ts";
export { looksLikeRefusal } from "./agent/answer-cache.ts";
export { containsGuardRefusal } from "./safety/refusals.ts";
export type { HistoryMessage } from "./agent/session-memory.ts";
export { ToolRegistry, toToolDefinition, type RegisteredTool } from "./tools/registry.ts";
export { executeToolCall, executeToolCalls, type ToolOutcome } from "./tools/executor.ts";
export { closeWorkerPools, runInWorker, startToolWorkers } from "./tools/worker-pool.ts";
export { InMemorySessionStore, type InMemoryStoreOptions } from "./memory/in-memory-store.ts";
export { SqlSessionStore, type SqlSessionStoreOptions } from "./memory/sql-session-store.ts";
export { RedisSessionStore, type RedisSessionStoreOptions } from "./memory/redis-session-store.ts";
export { RedisSessionLock, type RedisSessionLockOptions } from "./memory/redis-session-lock.ts";
export { TieredSessionStore, type TieredSessionStoreOptions } from "./memory/tiered-session-store.ts";
export {
  SemanticCache,
  normalizeQuestion,
  type CacheScope,
  type CachedAnswer,
  type CacheLookup,
  type SemanticCacheOptions,
} from "./cache/semantic-cache.ts";
export { sameSpecifics, specificsOf, type QuestionSpecifics } from "./cache/false-hit-guard.ts";
export { redactPii, redactPiiDeep, type PiiKind, type PiiRedaction } from "./safety/pii.ts";
export { BufferedSessionStore, type BufferedSessionStoreOptions } from "./memory/buffered-session-store.ts";
export type { SqlClient, SqlExecutor, SqlResult } from "./memory/sql/sql-client.ts";
export { postgresClient, type PostgresClientOptions } from "./memory/sql/postgres-client.ts";
export { pgliteClient } from "./memory/sql/pglite-client.ts";
export { migrate, migrationStatus, migrationsDirectory, type MigrationStatus } from "./memory/sql/migrate.ts";
export { LocalModelProvider, type LocalProviderOptions } from "./models/local/local-provider.ts";
export {
  loadLocalModel,
  resolveModelPath,
  defaultThreads,
  threadsFromEnv,
  maxThreadsOf,
  type ThreadSetting,
} from "./models/local/local-model.ts";
export { startThreadGovernor } from "./models/local/thread-governor.ts";
export { SentenceGate } from "./safety/sentence-gate.ts";
export { type EarlyReleasePolicy, defaultEarlyReleasePolicy } from "./agent/model-round.ts";
export { type ConfidenceSampling, confidenceSamplingFromEnv } from "./models/local/thinned-confidence.ts";
// The local model's repairs of call arguments, for tools that re-score recorded calls (evals).
export { repairedArguments } from "./models/local/argument-repairs.ts";
export { withDescribedFormats } from "./models/local/described-formats.ts";
export {
  modelCatalogue,
  defaultLocalModelName,
  findCatalogueModel,
  modelsDirectory,
  resolveLocalModel,
  type CatalogueModel,
  type ChatFormatName,
} from "./models/local/model-catalogue.ts";
export { createLogger, silentLogger, type LogLevel } from "./telemetry/logger.ts";
export { guardInput, defaultMaxInputChars } from "./safety/input-guard.ts";
export {
  SafetyGuard,
  defaultGuardThresholds,
  defaultIntentExamples,
  type GuardDecision,
  type GuardLayer,
  type GuardStage,
  type SafetyGuardOptions,
} from "./safety/safety-guard.ts";
export {
  IntentClassifier,
  readSafetyExamples,
  type IntentScore,
  type SafetyExample,
} from "./safety/intent-classifier.ts";
export { normalizeForSafety } from "./safety/normalize-text.ts";
export {
  builtinSpecialists,
  checkSpecialists,
  generalSpecialist,
  readSpecialistsFile,
  type Specialist,
  type SpecialistGuardPolicy,
  type SpecialistsConfig,
} from "./specialists/specialist.ts";
export {
  defaultSpecialistExamples,
  SpecialistRouter,
  type SpecialistChoice,
  type SpecialistRouterOptions,
} from "./specialists/specialist-router.ts";
export { consultationToolName } from "./specialists/consultation.ts";
export { escapeRegExp } from "./language/escape-regexp.ts";
export {
  localConfidenceCalibration,
  localConfidenceCalibrationFile,
} from "./models/local/local-confidence-calibration.ts";
export {
  calibrateConfidence,
  fitConfidenceCalibration,
  summarizeCalibration,
  type CalibrationBin,
  type CalibrationSummary,
  type ConfidenceCalibration,
} from "./models/confidence-calibration.ts";
export { AbuseTracker, type AbuseTrackerOptions } from "./safety/abuse-tracker.ts";
export { safeFetch } from "./tools/safe-fetch.ts";
export { isPrivateAddress, hostAllowed } from "./tools/network-policy.ts";
export {
  createLexicalToolRouter,
  type ToolRoute,
  type ToolRouteContext,
  type ToolRouter,
} from "./tools/tool-router.ts";
export {
  ToolPredictor,
  defaultPredictorThresholds,
  type PredictorThresholds,
  type ToolDecision,
  type ToolPrediction,
  type ToolPredictorOptions,
  type ToolScores,
} from "./tools/tool-predictor.ts";
export { defaultNoToolExamples } from "./tools/no-tool-examples.ts";
export {
  LocalMiniLmEmbedder,
  missingLocalEmbedderFiles,
  localEmbedderSetupCommand,
  localEmbedderModelName,
  resolveModelsRoot,
  type LocalMiniLmEmbedderOptions,
} from "./embeddings/local-minilm-embedder.ts";
export { FallbackChain, type ChainMember, type FallbackChainOptions } from "./models/fallback/fallback-chain.ts";
export { AnthropicProvider, type AnthropicProviderOptions } from "./models/remote/anthropic-provider.ts";
export { OpenAIProvider, type OpenAIProviderOptions } from "./models/remote/openai-provider.ts";
export { costOf, defaultPrices, loadPrices, type PriceTable } from "./telemetry/pricing.ts";
export { SyntheticModel, type SyntheticModelOptions } from "./models/synthetic-model.ts";
export { defaultSystemPrompt } from "./agent/build-messages.ts";
export {
  streamScriptedStep,
  splitIntoChunks,
  type ScriptedStep,
  type ScriptedToolCall,
} from "./models/scripted-stream.ts";
export {
  detectLanguage,
  languageNames,
  type DetectedLanguage,
  type LanguageCode,
} from "./language/detect-language.ts";
export { englishReading, spanishGloss } from "./language/spanish-gloss.ts";
export { foldText, withinEditDistance } from "./language/compare-words.ts";
export { scaledNumbers, spokenNumbers } from "./language/number-words.ts";
