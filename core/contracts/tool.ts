import type { z } from "zod";
import type { Logger } from "./logger.ts";
import type { JsonSchema, ToolExample } from "./model.ts";

export interface ToolContext {
  signal: AbortSignal;
  sessionId: string;
  callId: string;
  logger: Logger;
}

/** A tool is a plain object; `tool()` exists only so TypeScript infers `input` from the schema. */
// biome-ignore lint/suspicious/noExplicitAny: each definition is typed by its own schema
export interface Tool<Input = any, Output = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<Input>;
  /**
   * The JSON Schema the model sees, for tools defined by JSON Schema rather than zod (OpenAPI,
   * MCP, benchmark datasets). By default it is derived from `inputSchema`, which always validates.
   */
  inputJsonSchema?: JsonSchema;
  outputSchema?: z.ZodType<Output>;
  /** Abort the call after this many milliseconds (default 10 s). */
  timeoutMs?: number;
  /** How long a result may be reused; 0 for time-sensitive tools (default 0). */
  cacheTtlMs?: number;
  /** Hosts the tool may contact; empty for tools that never touch the network. */
  networkHosts?: readonly string[];
  /** Worked examples; small local models call tools far more reliably with them. */
  examples?: readonly ToolExample[];
  /** Safe to run twice: retryable failures are retried (`retries` times, default 1). */
  idempotent?: boolean;
  retries?: number;
  /** Largest result accepted, as JSON (default 64 KiB); larger results fail with a clear error. */
  maxOutputBytes?: number;
  execute(input: Input, context: ToolContext): Promise<Output> | Output;
  /**
   * Optional: run several calls in one go (one API request for many lookups). Calls to this tool that
   * arrive within `batchWindowMs` (default 100 ms), from any turn, are handed over together.
   */
  executeBatch?(inputs: readonly Input[], context: ToolContext): Promise<readonly Output[]>;
  batchWindowMs?: number;
}

export function tool<Input, Output>(definition: Tool<Input, Output>): Tool<Input, Output> {
  return definition;
}

/**
 * A plugin groups tools under a name and version. With a `configSchema`, the registry validates the
 * configuration it is given (PLUGIN_CONFIG_INVALID when something is missing or wrong) and builds the
 * tools from the parsed config.
 */
// biome-ignore lint/suspicious/noExplicitAny: each definition is typed by its own schema
export interface Plugin<Config = any> {
  name: string;
  version: string;
  configSchema?: z.ZodType<Config>;
  tools: readonly Tool[] | ((config: Config) => readonly Tool[]);
  init?(config: Config): Promise<void> | void;
  close?(): Promise<void> | void;
}

export function plugin<Config = undefined>(definition: Plugin<Config>): Plugin<Config> {
  return definition;
}
