import { randomUUID } from "node:crypto";
import { LlamaCompletion, type LlamaGrammar, type LlamaText } from "node-llama-cpp";
import { z } from "zod";
import { AgentError, ProviderError } from "../../contracts/errors.ts";
import type { ChatMessage, ToolCallRequest } from "../../contracts/messages.ts";
import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";
import { AsyncQueue } from "../async-queue.ts";
import { renderAnswerPrompt, renderToolDecisionPrompt } from "./chatml-prompt.ts";
import { buildJsonValueGrammar, buildToolCallGrammar } from "./json-schema-grammar.ts";
import { loadLocalModel, type LoadedLocalModel, type LocalModelOptions } from "./local-model.ts";

export interface LocalProviderOptions extends LocalModelOptions {
  /** Default cap on generated tokens per answer (default 512). */
  maxOutputTokens?: number;
  /**
   * Whether the model may call tools again after seeing tool results. Small models tend to repeat the
   * same call, so by default they answer from the results instead.
   */
  chainToolCalls?: boolean;
  /**
   * Penalty on tokens repeated within the last 64 of an answer (default 1.1; 1 turns it off).
   * Small models otherwise loop on a sentence until the token limit.
   */
  repeatPenalty?: number;
}

const toolCallListSchema = z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }));

/**
 * The embedded default provider: a GGUF model run in-process by node-llama-cpp on the CPU.
 * Tool calls are decided in SmolLM2's trained format under a grammar compiled from the tools'
 * schemas, so the output always parses; text answers stream token by token.
 */
export class LocalModelProvider implements ModelProvider {
  readonly id = "local";
  readonly #options: LocalProviderOptions;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  #model: LoadedLocalModel | undefined;

  constructor(options: LocalProviderOptions = {}) {
    this.#options = options;
  }

  get capabilities(): ModelCapabilities {
    return {
      toolCalling: true,
      vision: false,
      contextTokens: this.#model?.contextTokens ?? this.#options.contextTokens ?? 4096,
    };
  }

  /** Loads the model now rather than on the first request. Returns the load time in milliseconds. */
  async load(): Promise<LoadedLocalModel> {
    this.#model ??= await loadLocalModel(this.#options);
    return this.#model;
  }

  get modelName(): string {
    return (
      this.#model?.modelPath
        .split("/")
        .pop()
        ?.replace(/\.gguf$/i, "") ?? "local"
    );
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const loaded = await this.load();
    const lease = await loaded.acquireSequence(request.signal);
    const completion = new LlamaCompletion({ contextSequence: lease.sequence });
    try {
      const lastMessage = request.messages.at(-1);
      const decideTools =
        request.tools.length > 0 &&
        request.toolChoice !== "none" &&
        !request.responseFormat &&
        (this.#options.chainToolCalls || lastMessage?.role !== "tool");
      if (decideTools) {
        const calls = await this.#decideToolCalls(loaded, completion, request);
        if (calls.calls.length > 0) {
          for (const call of calls.calls) yield { type: "tool-call", ...call };
          yield { type: "finish", reason: "tool-calls", usage: calls.usage, model: this.modelName };
          return;
        }
      }
      yield* this.#streamAnswer(loaded, completion, request);
    } catch (error) {
      throw asProviderError(error, request.signal);
    } finally {
      completion.dispose();
      lease.release();
    }
  }

  async #decideToolCalls(loaded: LoadedLocalModel, completion: LlamaCompletion, request: ModelRequest) {
    const prompt = this.#fit(
      loaded,
      request.messages,
      (messages) => renderToolDecisionPrompt(messages, request.tools),
      256,
    );
    const required = request.toolChoice === "required";
    const grammar = await this.#grammar(loaded, buildToolCallGrammar(request.tools, { required }));
    let outputTokens = 0;
    const output = await completion.generateCompletion(prompt.text, {
      grammar,
      maxTokens: 256,
      temperature: 0,
      signal: request.signal,
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        outputTokens += tokens.length;
      },
    });
    const usage = { inputTokens: prompt.tokens, outputTokens };
    const parsed = parseCallList(output);
    const seen = new Set<string>();
    const calls: ToolCallRequest[] = [];
    for (const call of parsed) {
      const key = JSON.stringify(call);
      if (seen.has(key)) continue; // small models repeat a call; once is enough
      seen.add(key);
      calls.push({ callId: `call_${randomUUID().slice(0, 8)}`, name: call.name, arguments: call.arguments });
    }
    return { calls, usage };
  }

  async *#streamAnswer(
    loaded: LoadedLocalModel,
    completion: LlamaCompletion,
    request: ModelRequest,
  ): AsyncGenerator<ModelStreamEvent> {
    const maxTokens = request.maxOutputTokens ?? this.#options.maxOutputTokens ?? 512;
    const prompt = this.#fit(loaded, request.messages, renderAnswerPrompt, maxTokens);
    const chunks = new AsyncQueue<string>();
    let outputTokens = 0;
    const grammar = request.responseFormat
      ? await this.#grammar(loaded, buildJsonValueGrammar(request.responseFormat.schema))
      : undefined;
    const generation = completion.generateCompletionWithMeta(prompt.text, {
      ...(grammar ? { grammar } : {}),
      maxTokens,
      temperature: request.temperature ?? 0,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      signal: request.signal,
      stopOnAbortSignal: true,
      trimWhitespaceSuffix: true,
      repeatPenalty:
        grammar || (this.#options.repeatPenalty ?? 1.1) === 1
          ? false
          : { lastTokens: 64, penalty: this.#options.repeatPenalty ?? 1.1 },
      onTextChunk: (text) => chunks.push(text),
      onToken: (tokens) => {
        outputTokens += tokens.length;
      },
    });
    generation.then(
      () => chunks.close(),
      (error: unknown) => chunks.fail(error),
    );
    let started = false;
    for await (const chunk of chunks) {
      const text = started ? chunk : chunk.trimStart();
      if (text.length === 0) continue;
      started = true;
      yield { type: "text-delta", text };
    }
    const result = await generation;
    const reason = request.signal?.aborted ? "abort" : result.metadata.stopReason === "maxTokens" ? "length" : "stop";
    yield { type: "finish", reason, usage: { inputTokens: prompt.tokens, outputTokens }, model: this.modelName };
  }

  /** Renders the prompt, dropping the oldest non-system messages until it fits the context. */
  #fit(
    loaded: LoadedLocalModel,
    messages: readonly ChatMessage[],
    render: (messages: readonly ChatMessage[]) => LlamaText,
    reserve: number,
  ) {
    let kept = [...messages];
    for (;;) {
      const text = render(kept);
      const tokens = text.tokenize(loaded.model.tokenizer).length;
      if (tokens + reserve <= loaded.contextTokens) return { text, tokens };
      const dropAt = kept.findIndex((message, index) => message.role !== "system" && index < kept.length - 1);
      if (dropAt < 0) {
        throw new AgentError(
          "INPUT_TOO_LONG",
          `The conversation needs ${tokens} tokens; the local model's context holds ${loaded.contextTokens}.`,
          "user",
        );
      }
      kept = kept.filter((_, index) => index !== dropAt);
    }
  }

  #grammar(loaded: LoadedLocalModel, source: string): Promise<LlamaGrammar> {
    let grammar = this.#grammars.get(source);
    if (!grammar) {
      grammar = loaded.llama.createGrammar({ grammar: source });
      grammar.catch(() => this.#grammars.delete(source));
      this.#grammars.set(source, grammar);
      if (this.#grammars.size > 64) this.#grammars.delete(this.#grammars.keys().next().value!);
    }
    return grammar;
  }

  async close(): Promise<void> {
    // The loaded model is shared across providers in this process; it lives until the process ends.
  }
}

/**
 * Parses the grammar-constrained call list. When generation stopped early (token limit, abort), the
 * calls completed before the cut are kept: the grammar writes `}, {"name": ` only between calls.
 */
export function parseCallList(output: string): z.infer<typeof toolCallListSchema> {
  const attempt = (text: string) => {
    try {
      const parsed = toolCallListSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const whole = attempt(output);
  if (whole) return whole;
  const boundary = output.lastIndexOf('}, {"name": ');
  return boundary > 0 ? (attempt(`${output.slice(0, boundary + 1)}]`) ?? []) : [];
}

function asProviderError(error: unknown, signal: AbortSignal | undefined): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (signal?.aborted) return new ProviderError("TURN_ABORTED", "The local model was cancelled.");
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("PROVIDER_FAILED", `The local model failed: ${message}`, { cause: error });
}
