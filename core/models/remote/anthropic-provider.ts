import Anthropic from "@anthropic-ai/sdk";
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

export interface AnthropicProviderOptions {
  apiKey: string;
  model?: string;
  baseURL?: string;
  maxOutputTokens?: number;
  /** Abort a request with no response after this long (default 60 s). Retries belong to the fallback chain. */
  requestTimeoutMs?: number;
}

type AnthropicMessage = { role: "user" | "assistant"; content: Array<Record<string, unknown>> };

/** Claude through the Messages API, streamed, with tool use. */
export class AnthropicProvider implements ModelProvider {
  readonly id = "anthropic";
  readonly capabilities: ModelCapabilities = { toolCalling: true, vision: true, contextTokens: 200_000 };
  readonly model: string;
  readonly #client: Anthropic;
  readonly #maxOutputTokens: number;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model ?? "claude-sonnet-4-6";
    this.#maxOutputTokens = options.maxOutputTokens ?? 1024;
    this.#client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: 0,
      timeout: options.requestTimeoutMs ?? 60_000,
    });
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const system = request.messages
      .filter((message) => message.role === "system")
      .map((message) => message.content)
      .join("\n\n");
    const toolBlocks = new Map<number, { id: string; name: string; json: string }>();
    let inputTokens = 0;
    let outputTokens = 0;
    let stopReason: string | null = null;
    try {
      const stream = await this.#client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxOutputTokens ?? this.#maxOutputTokens,
          messages: toAnthropicMessages(request.messages) as never,
          ...(system ? { system } : {}),
          ...(request.tools.length && request.toolChoice !== "none"
            ? {
                tools: request.tools.map((tool) => ({
                  name: tool.name,
                  description: tool.description,
                  input_schema: tool.inputSchema as never,
                })),
                ...(request.toolChoice === "required" ? { tool_choice: { type: "any" as const } } : {}),
              }
            : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          stream: true,
        },
        { ...(request.signal ? { signal: request.signal } : {}) },
      );
      for await (const event of stream) {
        switch (event.type) {
          case "message_start":
            inputTokens = event.message.usage.input_tokens;
            outputTokens = event.message.usage.output_tokens;
            break;
          case "content_block_start":
            if (event.content_block.type === "tool_use") {
              toolBlocks.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: "" });
            }
            break;
          case "content_block_delta":
            if (event.delta.type === "text_delta") yield { type: "text-delta", text: event.delta.text };
            else if (event.delta.type === "input_json_delta") {
              const block = toolBlocks.get(event.index);
              if (block) block.json += event.delta.partial_json;
            }
            break;
          case "content_block_stop": {
            const block = toolBlocks.get(event.index);
            if (block)
              yield {
                type: "tool-call",
                callId: block.id,
                name: block.name,
                arguments: parseToolArguments(this.id, block.name, block.json),
              };
            break;
          }
          case "message_delta":
            stopReason = event.delta.stop_reason ?? stopReason;
            outputTokens = event.usage.output_tokens ?? outputTokens;
            break;
        }
      }
    } catch (error) {
      throw toProviderError(this.id, error, request.signal, {
        connectionError: Anthropic.APIConnectionError,
        timeoutError: Anthropic.APIConnectionTimeoutError,
      });
    }
    if (stopReason === null)
      throw new ProviderError("PROVIDER_FAILED", `${this.id}: the stream ended without a stop reason.`);
    yield {
      type: "finish",
      reason: finishReasonOf(stopReason),
      usage: { inputTokens, outputTokens },
      model: this.model,
    };
  }
}

function finishReasonOf(stopReason: string): FinishReason {
  if (stopReason === "tool_use") return "tool-calls";
  if (stopReason === "max_tokens") return "length";
  return "stop";
}

/** Our messages as Anthropic's: tool calls are assistant tool_use blocks, results are user tool_result blocks. */
export function toAnthropicMessages(messages: readonly ChatMessage[]): AnthropicMessage[] {
  const result: AnthropicMessage[] = [];
  const append = (role: AnthropicMessage["role"], block: Record<string, unknown>) => {
    const last = result.at(-1);
    if (last?.role === role) last.content.push(block);
    else result.push({ role, content: [block] });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        break;
      case "user":
        // Images before the text, as Anthropic's documentation advises.
        for (const image of message.images ?? [])
          append("user", { type: "image", source: { type: "base64", media_type: image.mediaType, data: image.data } });
        // Anthropic refuses an empty text block: a message of images alone has none.
        if (message.content || !message.images?.length) append("user", { type: "text", text: message.content });
        break;
      case "assistant":
        if (message.content) append("assistant", { type: "text", text: message.content });
        for (const call of message.toolCalls ?? [])
          append("assistant", { type: "tool_use", id: call.callId, name: call.name, input: call.arguments });
        break;
      case "tool":
        append("user", {
          type: "tool_result",
          tool_use_id: message.callId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        });
        break;
    }
  }
  return result;
}
