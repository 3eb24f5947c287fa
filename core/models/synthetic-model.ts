import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../contracts/model.ts";
import { streamScriptedStep, type ScriptedStep } from "./scripted-stream.ts";

export interface SyntheticModelOptions {
  /** Builds the response to each request; `index` counts requests from 0. */
  respond: (request: ModelRequest, index: number) => ScriptedStep;
  id?: string;
}

/**
 * An endless scripted model for benchmarks and load tests: every request is answered by `respond`,
 * nothing is recorded, and no step can run out.
 */
export class SyntheticModel implements ModelProvider {
  readonly id: string;
  readonly capabilities: ModelCapabilities = { toolCalling: true, vision: false, contextTokens: 128_000 };
  readonly #respond: SyntheticModelOptions["respond"];
  #requests = 0;
  #calls = 0;

  constructor(options: SyntheticModelOptions) {
    this.#respond = options.respond;
    this.id = options.id ?? "synthetic";
  }

  stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const step = this.#respond(request, this.#requests++);
    return streamScriptedStep(step, request, this.id, () => `call_${++this.#calls}`);
  }

  /** Streams `tokens` chunks per answer, the first after `timeToFirstTokenMs`, then `tokenIntervalMs` apart. */
  static streaming(options: { tokens: number; timeToFirstTokenMs?: number; tokenIntervalMs?: number }): SyntheticModel {
    const chunks = Array.from({ length: options.tokens }, (_, index) => `token${index} `);
    return new SyntheticModel({
      id: "synthetic",
      respond: () => ({
        text: chunks,
        ...(options.timeToFirstTokenMs ? { firstDelayMs: options.timeToFirstTokenMs } : {}),
        ...(options.tokenIntervalMs ? { delayMs: options.tokenIntervalMs } : {}),
        usage: { inputTokens: 16, outputTokens: options.tokens },
      }),
    });
  }
}
