import { AgentError, ToolError, toAgentError, UserInputError } from "../contracts/errors.ts";
import type { ToolCallRequest } from "../contracts/messages.ts";
import type { Logger } from "../contracts/logger.ts";
import type { Tool } from "../contracts/tool.ts";
import { enqueueBatched } from "./batcher.ts";
import { toolFetch } from "./tool-fetch.ts";
import type { ToolRegistry } from "./registry.ts";
import { runInWorker } from "./worker-pool.ts";

export const defaultToolTimeoutMs = 10_000;

export type ToolOutcome =
  | { callId: string; name: string; ok: true; result: unknown; durationMs: number }
  | { callId: string; name: string; ok: false; error: AgentError; durationMs: number };

export interface ExecuteToolOptions {
  registry: ToolRegistry;
  sessionId: string;
  signal: AbortSignal;
  logger: Logger;
  /** The user's language, passed on to the tool (ToolContext.language). */
  language?: string | undefined;
}

/**
 * Runs one tool call: finds the tool, validates the arguments against its schema, runs it under its
 * timeout and the turn's signal, and checks the output. Never throws: failures come back as outcomes
 * the model can read.
 */
export async function executeToolCall(call: ToolCallRequest, options: ExecuteToolOptions): Promise<ToolOutcome> {
  const started = performance.now();
  const finish = (outcome: { ok: true; result: unknown } | { ok: false; error: AgentError }): ToolOutcome => ({
    callId: call.callId,
    name: call.name,
    durationMs: performance.now() - started,
    ...outcome,
  });

  const entry = options.registry.get(call.name);
  if (!entry) {
    return finish({ ok: false, error: new ToolError("TOOL_NOT_FOUND", `There is no tool named "${call.name}".`) });
  }
  const { tool } = entry;
  const input = tool.inputSchema.safeParse(call.arguments);
  if (!input.success) {
    const problems = input.error.issues
      .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
      .join("; ");
    return finish({
      ok: false,
      error: new ToolError("TOOL_INVALID_INPUT", `Invalid arguments for ${call.name}: ${problems}`),
    });
  }

  const attempts = 1 + (tool.idempotent ? (tool.retries ?? 1) : 0);
  let outcome: ToolOutcome | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    outcome = await attemptToolCall(tool, input.data, call, options, finish);
    if (outcome.ok || !outcome.error.retryable || options.signal.aborted) break;
  }
  return outcome!;
}

export const defaultMaxOutputBytes = 64 * 1024;

async function attemptToolCall(
  tool: Tool,
  input: unknown,
  call: ToolCallRequest,
  options: ExecuteToolOptions,
  finish: (outcome: { ok: true; result: unknown } | { ok: false; error: AgentError }) => ToolOutcome,
): Promise<ToolOutcome> {
  const timeoutMs = tool.timeoutMs ?? defaultToolTimeoutMs;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout.signal]);
  const context = {
    signal,
    sessionId: options.sessionId,
    callId: call.callId,
    logger: options.logger,
    fetch: toolFetch(tool, signal),
    ...(options.language ? { language: options.language } : {}),
  };
  try {
    const result = await raceAbort(
      Promise.resolve().then(() => {
        if (tool.worker) {
          const { sessionId, callId, language } = context;
          const plain = { sessionId, callId, ...(language ? { language } : {}) };
          return runInWorker({ name: tool.name, worker: tool.worker }, input, plain, signal);
        }
        return tool.executeBatch ? enqueueBatched(tool, input, context) : tool.execute(input, context);
      }),
      signal,
    );
    const size = Buffer.byteLength(JSON.stringify(result ?? null) ?? "null");
    const maxBytes = tool.maxOutputBytes ?? defaultMaxOutputBytes;
    if (size > maxBytes) {
      return finish({
        ok: false,
        error: new ToolError("TOOL_FAILED", `${call.name} returned ${size} bytes; the limit is ${maxBytes}.`),
      });
    }
    if (tool.outputSchema) {
      const output = tool.outputSchema.safeParse(result);
      if (!output.success) {
        return finish({
          ok: false,
          error: new ToolError("TOOL_FAILED", `${call.name} returned output that does not match its output schema.`),
        });
      }
      return finish({ ok: true, result: output.data });
    }
    return finish({ ok: true, result });
  } catch (error) {
    if (timeout.signal.aborted && !options.signal.aborted) {
      return finish({
        ok: false,
        error: new ToolError("TOOL_TIMEOUT", `${call.name} did not finish within ${timeoutMs} ms.`),
      });
    }
    if (options.signal.aborted) {
      return finish({ ok: false, error: new UserInputError("TURN_ABORTED", "The turn was cancelled.") });
    }
    const agentError = AgentError.isInstance(error)
      ? error
      : new ToolError("TOOL_FAILED", `${call.name} failed: ${toAgentError(error).message}`, { cause: error });
    return finish({ ok: false, error: agentError });
  } finally {
    clearTimeout(timer);
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Runs calls concurrently and yields each outcome as soon as it is ready. */
export async function* executeToolCalls(
  calls: readonly ToolCallRequest[],
  options: ExecuteToolOptions,
): AsyncGenerator<ToolOutcome> {
  const pending = new Map(
    calls.map((call, index) => [index, executeToolCall(call, options).then((outcome) => ({ index, outcome }))]),
  );
  while (pending.size > 0) {
    const { index, outcome } = await Promise.race(pending.values());
    pending.delete(index);
    yield outcome;
  }
}
