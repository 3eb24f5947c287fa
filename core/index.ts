export * from "./spec/index.ts";
export { Agent, type AgentOptions, type TurnInput } from "./agent/agent.ts";
export { ToolRegistry, toToolDefinition, type RegisteredTool } from "./tools/registry.ts";
export { executeToolCall, executeToolCalls, type ToolOutcome } from "./tools/executor.ts";
export { InMemorySessionStore, type InMemoryStoreOptions } from "./memory/in-memory-store.ts";
export { LocalModelProvider, type LocalProviderOptions } from "./models/local/local-provider.ts";
export { loadLocalModel, resolveModelPath, defaultModelFileName } from "./models/local/local-model.ts";
export { createLogger, silentLogger, type LogLevel } from "./telemetry/logger.ts";
export { guardInput, defaultMaxInputChars } from "./safety/input-guard.ts";
