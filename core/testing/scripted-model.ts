import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../contracts/model.ts";
import { type ScriptedStep, streamScriptedStep } from "../models/scripted-stream.ts";

export type { ScriptedStep, ScriptedToolCall } from "../models/scripted-stream.ts";
export { splitIntoChunks, streamScriptedStep } from "../models/scripted-stream.ts";

export class ScriptedModelError extends Error {
  override name = "ScriptedModelError";
}

/**
 * A test double for ModelProvider: answers each request with the next scripted step, records every
 * request, fails on a request nobody scripted, and `assertDone()` fails when steps were left unused.
 */
export class ScriptedModel implements ModelProvider {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  readonly requests: ModelRequest[] = [];
  readonly #steps: ScriptedStep[];
  #callCounter = 0;

  /** `vision`: the model reads images (as Claude and GPT do). */
  constructor(steps: readonly ScriptedStep[], options: { id?: string; vision?: boolean } = {}) {
    this.#steps = [...steps];
    this.id = options.id ?? "scripted";
    this.capabilities = { toolCalling: true, vision: options.vision ?? false, contextTokens: 128_000 };
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
    yield* streamScriptedStep(step, request, this.id, () => `call_${++this.#callCounter}`);
  }
}

/** A 1×1 PNG, base64: an image to send with a message in tests. */
export const tinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
