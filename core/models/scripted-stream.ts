import { UserInputError } from "../contracts/errors.ts";
import type { TokenUsage } from "../contracts/messages.ts";
import type { ModelRequest, ModelStreamEvent } from "../contracts/model.ts";

export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
  callId?: string;
}

/** One scripted model response. */
export interface ScriptedStep {
  /** Text to stream: a string is split into word-sized chunks, an array is streamed chunk by chunk. */
  text?: string | readonly string[];
  toolCalls?: readonly ScriptedToolCall[];
  /** Thrown after the text has streamed (a provider failing mid-answer), or at once when there is no text. */
  error?: Error;
  /** Wait this long before each chunk (and before the finish). */
  delayMs?: number;
  /** Wait this long once, before the first chunk (a model's time to first token). */
  firstDelayMs?: number;
  usage?: TokenUsage;
  /** The finish event's confidence (none when unset, as from a provider without token probabilities). */
  confidence?: number;
  /** Checks the request; throw to fail the test with a clear message. */
  expect?: (request: ModelRequest) => void;
}

/** Streams one scripted step as a model would: chunks, then tool calls, then the finish event. */
export async function* streamScriptedStep(
  step: ScriptedStep,
  request: ModelRequest,
  model: string,
  nextCallId: () => string,
): AsyncGenerator<ModelStreamEvent> {
  const chunks = typeof step.text === "string" ? splitIntoChunks(step.text) : (step.text ?? []);
  // Each pause ends at its own moment from the start (as a remote model's tokens arrive whatever this
  // process is doing): a timer that fired late does not push every later chunk back.
  let due = performance.now();
  const wait = (delayMs: number | undefined) => {
    due += delayMs ?? 0;
    return pause(delayMs ? due - performance.now() : 0, request.signal);
  };
  if (step.firstDelayMs) await wait(step.firstDelayMs);
  let outputTokens = 0;
  for (const chunk of chunks) {
    if (step.delayMs || request.signal?.aborted) await wait(step.delayMs);
    outputTokens++;
    yield { type: "text-delta", text: chunk };
  }
  if (step.error) throw step.error;
  for (const call of step.toolCalls ?? []) {
    yield { type: "tool-call", callId: call.callId ?? nextCallId(), name: call.name, arguments: call.arguments };
  }
  if (step.delayMs || request.signal?.aborted) await wait(step.delayMs);
  let inputTokens = 0;
  if (!step.usage) for (const message of request.messages) inputTokens += Math.ceil(message.content.length / 4);
  yield {
    type: "finish",
    reason: step.toolCalls?.length ? "tool-calls" : "stop",
    usage: step.usage ?? { inputTokens, outputTokens },
    model,
    ...(step.confidence !== undefined ? { confidence: step.confidence } : {}),
  };
}

export function splitIntoChunks(text: string): string[] {
  return text.match(/\S*\s*/g)?.filter((chunk) => chunk.length > 0) ?? [];
}

function pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new UserInputError("TURN_ABORTED", "Aborted."));
  if (!(delayMs > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new UserInputError("TURN_ABORTED", "Aborted."));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
