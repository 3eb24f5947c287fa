import { Agent, type AgentOptions } from "../core/agent/agent.ts";
import { InMemorySessionStore } from "../core/memory/in-memory-store.ts";
import { LocalModelProvider } from "../core/models/local/local-provider.ts";
import type { ModelProvider } from "../core/spec/model.ts";
import type { Logger } from "../core/spec/tool.ts";
import { ToolRegistry } from "../core/tools/registry.ts";
import { calculatorPlugin } from "../plugins/calculator/index.ts";

export interface RuntimeConfig {
  modelPath: string | undefined;
  maxToolRounds: number;
  maxInputChars: number;
  maxOutputTokens: number;
  contextTokens: number;
  sequences: number;
}

/** Reads configuration from the environment (see README "Configuration"). */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const integer = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    const parsed = Number.parseInt(value, 10);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}.`);
    return parsed;
  };
  return {
    modelPath: env.RTA_MODEL_PATH || undefined,
    maxToolRounds: integer("RTA_MAX_TOOL_ROUNDS", 3),
    maxInputChars: integer("RTA_MAX_INPUT_CHARS", 8_000),
    maxOutputTokens: integer("RTA_MAX_OUTPUT_TOKENS", 512),
    contextTokens: integer("RTA_CONTEXT_TOKENS", 4096),
    sequences: integer("RTA_PARALLEL_SEQUENCES", 2),
  };
}

/** The composition root: the embedded defaults (local model, in-process store, built-in plugins). */
export function createRuntime(config: RuntimeConfig, options: { logger?: Logger; model?: ModelProvider } = {}): Agent {
  return new Agent(runtimeAgentOptions(config, options));
}

export function runtimeAgentOptions(config: RuntimeConfig, options: { logger?: Logger; model?: ModelProvider } = {}): AgentOptions {
  const model = options.model ?? new LocalModelProvider({
    ...(config.modelPath ? { modelPath: config.modelPath } : {}),
    contextTokens: config.contextTokens,
    sequences: config.sequences,
    maxOutputTokens: config.maxOutputTokens,
  });
  const tools = new ToolRegistry().register(calculatorPlugin);
  return {
    model,
    tools,
    store: new InMemorySessionStore(),
    maxToolRounds: config.maxToolRounds,
    maxInputChars: config.maxInputChars,
    maxOutputTokens: config.maxOutputTokens,
    ...(options.logger ? { logger: options.logger } : {}),
  };
}
