/**
 * The composition root: builds an Agent from configuration (environment, files) — model providers and
 * their fallback chain, built-in and external plugins, the session store. The CLI, the server, evals and
 * benchmarks all build their agents here; core knows nothing of it.
 */
export {
  createRuntime,
  createSemanticCache,
  createSafetyGuard,
  sharedLocalEmbedder,
  createToolRouter,
  runtimeAgentOptions,
  runtimeConfigFromEnv,
  type RuntimeConfig,
} from "./runtime.ts";
export { modelFromProviders, providersFromEnv, readSecret } from "./provider-config.ts";
export { builtInTools, loadExternalPlugins } from "./plugin-config.ts";
export { startTracing, type Tracing } from "./tracing.ts";
export {
  openSessionStore,
  openSqlClient,
  storeLocation,
  storeConfigFromEnv,
  type OpenedStore,
  type StoreConfig,
  type StoreKind,
} from "./session-store-config.ts";
