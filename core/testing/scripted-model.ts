import { ProviderError } from "../spec/errors.ts";
import type { TokenUsage } from "../spec/messages.ts";
import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../spec/model.ts";

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
  usage?: TokenUsage;
  /** Checks the request; throw to fail the test with a clear message. */
  expect?: (request: ModelRequest) => void;
}

export class ScriptedModelError extends Error {
  override name = "ScriptedModelError";
}

/**
 * A test double for ModelProvider: answers each request with the next scripted step, records every
 * request, fails on a request nobody scripted, and `assertDone()` fails when steps were left unused.
 */
export class ScriptedModel implements ModelProvider {
  readonly id: string;
  readonly capabilities: ModelCapabilities = { toolCalling: true, vision: false, contextTokens: 128_000 };
  readonly requests: ModelRequest[] = [];
  readonly #steps: ScriptedStep[];
  #callCounter = 0;

  constructor(steps: readonly ScriptedStep[], options: { id?: string } = {}) {
    this.#steps = [...steps];
    this.id = options.id ?? "scripted";
  }

  get remainingSteps(): number {
    return this.#steps.length;
  }

  assertDone(): void {
    if (this.#steps.length > 0) {
      throw new ScriptedModelError(`${this.#steps.length} scripted step(s) were never requested.`);
    }
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    this.requests.push(structuredClone({ ...request, signal: undefined }));
    const step = this.#steps.shift();
    if (!step) {
      throw new ScriptedModelError(`Unexpected model request #${this.requests.length}: no scripted step left.`);
    }
    step.expect?.(request);
    const chunks = typeof step.text === "string" ? splitIntoChunks(step.text) : [...(step.text ?? [])];
    let outputTokens = 0;
    for (const chunk of chunks) {
      await pause(step.delayMs, request.signal);
      outputTokens++;
      yield { type: "text-delta", text: chunk };
    }
    if (step.error) throw step.error;
    for (const call of step.toolCalls ?? []) {
      yield { type: "tool-call", callId: call.callId ?? `call_${++this.#callCounter}`, name: call.name, arguments: call.arguments };
    }
    await pause(step.delayMs, request.signal);
    const inputTokens = request.messages.reduce((sum, message) => sum + Math.ceil(message.content.length / 4), 0);
    yield {
      type: "finish",
      reason: step.toolCalls?.length ? "tool-calls" : "stop",
      usage: step.usage ?? { inputTokens, outputTokens },
      model: this.id,
    };
  }
}

export function splitIntoChunks(text: string): string[] {
  return text.match(/\S*\s*/g)?.filter((chunk) => chunk.length > 0) ?? [];
}

function pause(delayMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ProviderError("TURN_ABORTED", "Aborted."));
  if (!delayMs) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, delayMs);
    const onAbort = () => { clearTimeout(timer); reject(new ProviderError("TURN_ABORTED", "Aborted.")); };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
