import type { z } from "zod";
import type { Logger } from "./logger.ts";
import type { JsonSchema, ToolExample } from "./model.ts";
import type { ToolFetch } from "./network.ts";

export interface ToolContext {
  signal: AbortSignal;
  sessionId: string;
  callId: string;
  logger: Logger;
  /**
   * HTTP for this call: safeFetch limited to the hosts the tool declares in `networkHosts` (redirects
   * included), cancelled with the call unless given another signal.
   */
  fetch: ToolFetch;
  /**
   * The language the user writes in, when the agent could tell (ISO 639-1, e.g. "es"): for tools whose
   * input reads differently by language ("2.500" is 2500 in Spanish, 2.5 in English).
   */
  language?: string;
}

/** What a worker-run tool receives besides its input: the plain, cloneable part of ToolContext. */
export interface ToolWorkerContext {
  sessionId: string;
  callId: string;
  language?: string;
}

/**
 * Where a CPU-bound tool's work runs off the event loop: `exportName` of `module` (a file URL), called
 * in a worker thread as `(input, context: ToolWorkerContext) => output` with cloneable values.
 */
export interface ToolWorker {
  module: string | URL;
  exportName: string;
  /** Heap the worker may use before it is stopped (default 128 MB). */
  maxMemoryMb?: number;
}

/** What `Tool.reconcile` reads: the user's words, not the model's. */
export interface ReconcileContext {
  /** The user's message this turn. */
  userText: string;
  /** The user's message of the turn before, for follow-ups ("And in yen?"). */
  previousUserText?: string | undefined;
  /** The language the user writes in ("es", "en"), when known. */
  language?: string | undefined;
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
  /**
   * How long an answer built on this tool's result stays true; 0 for time-sensitive tools (default 0).
   * Advisory today: the registry checks it is a non-negative number and `rta tools` shows it, but
   * nothing in core caches tool results or answers yet. The semantic cache will read it, and never
   * serve an answer built from this tool's result past it. (A plugin may cache on its own, as the
   * currency plugin caches rates for its `rateCacheMs`, which it also declares here.)
   */
  cacheTtlMs?: number;
  /**
   * Hosts the tool may contact ("api.example.com", or "*.example.com" for subdomains); empty or
   * omitted for tools that never touch the network. Enforced for `context.fetch`, which refuses every
   * other host. Requests made another way (global fetch, `safeFetch` with a policy of the tool's own,
   * an SDK's HTTP client such as the MCP transport, a child process) are beyond core's reach.
   */
  networkHosts?: readonly string[];
  /**
   * The outside service the answers come from, as users know it ("Open-Meteo", "the ECB's reference
   * rates"). When a call fails, the model is told to say which service could not answer.
   */
  service?: string;
  /** Worked examples; small local models call tools far more reliably with them. */
  examples?: readonly ToolExample[];
  /** Safe to run twice: retryable failures are retried (`retries` times, default 1). */
  idempotent?: boolean;
  retries?: number;
  /** Largest result accepted, as JSON (default 64 KiB); larger results fail with a clear error. */
  maxOutputBytes?: number;
  /**
   * For CPU-bound work (evaluating expressions, parsing large documents): the executor calls this
   * worker in a pool of threads instead of `execute`, so the call's timeout always fires and a runaway
   * call costs one worker, never the server. `execute` stays the same work in-process (for callers
   * without the executor).
   */
  worker?: ToolWorker;
  /**
   * Optional: squares a model's call with what the user wrote, before it runs. Small models copy an
   * example's values, drop parentheses, or call a tool the request never asked for; a tool that can
   * read its own kind of request (which currencies it names, which expression it writes) puts those
   * values back, and returns `null` for a call the conversation gives no ground for (it is then
   * dropped and the model answers without it). Return the arguments unchanged when unsure. Must be
   * fast and pure: it runs on every call of every model, before validation.
   */
  reconcile?(args: Record<string, unknown>, context: ReconcileContext): Record<string, unknown> | null;
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
