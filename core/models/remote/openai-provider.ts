import OpenAI from "openai";
import { ProviderError } from "../../contracts/errors.ts";
import type { ChatMessage } from "../../contracts/messages.ts";
import type {
  FinishReason,
  ModelCapabilities,
  ModelProvider,
  ModelRequest,
  ModelStreamEvent,
} from "../../contracts/model.ts";
import { parseToolArguments } from "./tool-arguments.ts";
import { toProviderError } from "./provider-errors.ts";

export interface OpenAIProviderOptions {
  /** Optional for OpenAI-compatible servers that need none (Ollama, llama.cpp, vLLM without auth). */
  apiKey?: string;
  model?: string;
  /** An OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 for Ollama. */
  baseURL?: string;
  /** Provider id in events, metrics and fallbacks (default "openai", or "openai-compatible" with a baseURL). */
  id?: string;
  maxOutputTokens?: number;
  contextTokens?: number;
  requestTimeoutMs?: number;
  /**
   * Ask for the answer's token log-probabilities, the finish event's `confidence` (default: on for
   * OpenAI's own chat models, off for reasoning models, which refuse them, and for compatible servers).
   */
  logprobs?: boolean;
}

/** OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) answer `logprobs` with a 400. */
export function openAIAcceptsLogprobs(model: string): boolean {
  return !/^(o\d|gpt-5)/.test(model);
}

/** GPT, or any OpenAI-compatible server, through Chat Completions streaming with tool calls and usage. */
export class OpenAIProvider implements ModelProvider {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  readonly model: string;
  readonly #client: OpenAI;
  readonly #maxOutputTokens: number | undefined;
  readonly #logprobs: boolean;

  constructor(options: OpenAIProviderOptions) {
    this.id = options.id ?? (options.baseURL ? "openai-compatible" : "openai");
    this.model = options.model ?? "gpt-4o-mini";
    this.#maxOutputTokens = options.maxOutputTokens;
    this.#logprobs = options.logprobs ?? (!options.baseURL && openAIAcceptsLogprobs(this.model));
    this.capabilities = {
      toolCalling: true,
      vision: !options.baseURL,
      contextTokens: options.contextTokens ?? 128_000,
    };
    this.#client = new OpenAI({
      apiKey: options.apiKey ?? "not-needed",
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: options.requestTimeoutMs ?? 60_000,
    });
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const calls = new Map<number, { id: string; name: string; json: string }>();
    let finishReason: string | null = null;
    let usage = { inputTokens: 0, outputTokens: 0 };
    let model = this.model;
    // The answer's tokens' log-probabilities, when asked for (tool calls have none).
    let logprobSum = 0;
    let logprobCount = 0;
    try {
      const maxTokens = request.maxOutputTokens ?? this.#maxOutputTokens;
      const stream = await this.#client.chat.completions.create(
        {
          model: this.model,
          messages: toOpenAIMessages(request.messages) as never,
          stream: true,
          stream_options: { include_usage: true },
          ...(this.#logprobs ? { logprobs: true } : {}),
          ...(request.tools.length && request.toolChoice !== "none"
            ? {
                tools: request.tools.map((tool) => ({
                  type: "function" as const,
                  function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
                })),
                ...(request.toolChoice === "required" ? { tool_choice: "required" as const } : {}),
              }
            : {}),
          ...(request.responseFormat
            ? {
                response_format: {
                  type: "json_schema" as const,
                  json_schema: { name: "response", schema: request.responseFormat.schema, strict: false },
                },
              }
            : {}),
          ...(maxTokens !== undefined ? { max_completion_tokens: maxTokens } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.seed !== undefined ? { seed: request.seed } : {}),
        },
        { ...(request.signal ? { signal: request.signal } : {}) },
      );
      for await (const chunk of stream) {
        if (chunk.model) model = chunk.model;
        if (chunk.usage)
          usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        for (const choice of chunk.choices ?? []) {
          const delta = choice.delta;
          if (delta?.content) yield { type: "text-delta", text: delta.content };
          for (const token of choice.logprobs?.content ?? []) {
            if (!Number.isFinite(token.logprob)) continue;
            logprobSum += token.logprob;
            logprobCount++;
          }
          for (const call of delta?.tool_calls ?? []) {
            const entry = calls.get(call.index) ?? { id: "", name: "", json: "" };
            if (call.id) entry.id = call.id;
            if (call.function?.name) entry.name += call.function.name;
            if (call.function?.arguments) entry.json += call.function.arguments;
            calls.set(call.index, entry);
          }
          if (choice.finish_reason) finishReason = choice.finish_reason;
        }
      }
    } catch (error) {
      throw toProviderError(this.id, error, request.signal, {
        connectionError: OpenAI.APIConnectionError,
        timeoutError: OpenAI.APIConnectionTimeoutError,
      });
    }
    if (finishReason === null)
      throw new ProviderError("PROVIDER_FAILED", `${this.id}: the stream ended without a finish reason.`);
    for (const [index, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
      yield {
        type: "tool-call",
        callId: call.id || `call_${index}`,
        name: call.name,
        arguments: parseToolArguments(this.id, call.name, call.json),
      };
    }
    yield {
      type: "finish",
      reason: finishReasonOf(finishReason, calls.size > 0),
      usage,
      model,
      // The geometric mean of the tokens' probabilities, as the local model's.
      ...(logprobCount > 0 ? { confidence: Math.exp(logprobSum / logprobCount) } : {}),
    };
  }
}

function finishReasonOf(reason: string, hasCalls: boolean): FinishReason {
  if (reason === "tool_calls" || reason === "function_call" || hasCalls) return "tool-calls";
  if (reason === "length") return "length";
  return "stop";
}

/** Our messages as Chat Completions messages. */
export function toOpenAIMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  return messages.map((message) => {
    switch (message.role) {
      case "system":
        return { role: message.role, content: message.content };
      case "user":
        return message.images?.length
          ? {
              role: "user",
              content: [
                ...(message.content ? [{ type: "text", text: message.content }] : []),
                ...message.images.map((image) => ({
                  type: "image_url",
                  image_url: { url: `data:${image.mediaType};base64,${image.data}` },
                })),
              ],
            }
          : { role: "user", content: message.content };
      case "assistant":
        return {
          role: "assistant",
          content: message.content || null,
          ...(message.toolCalls?.length
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.callId,
                  type: "function",
                  function: { name: call.name, arguments: JSON.stringify(call.arguments) },
                })),
              }
            : {}),
        };
      case "tool":
        return { role: "tool", tool_call_id: message.callId, content: message.content };
    }
  });
}
