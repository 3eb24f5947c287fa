import type { ErrorCode } from "./errors.ts";
import type { ChatMessage, TokenUsage, ToolCallRequest } from "./messages.ts";

/** What a model sees of a tool: its JSON Schema and, optionally, worked examples for small models. */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  examples?: readonly ToolExample[];
}

export interface ToolExample {
  /** A user request this tool answers. */
  request: string;
  /** The arguments a correct call carries for that request. */
  arguments: Record<string, unknown>;
}

export type JsonSchema = { [key: string]: unknown };

export interface ModelRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolDefinition[];
  /**
   * `none` asks for a text answer even when tools are listed (used for the last round); `required`
   * asks for at least one call (a confident tool router). Providers that cannot enforce `required`
   * treat it as `auto`.
   */
  toolChoice: "auto" | "required" | "none";
  /**
   * With `required`: tools the message asks for in separate parts ("the weather in Lisbon, and 200
   * dollars in euros"), one call to each, in this order. Providers that call several tools on their own
   * (the remote ones) may treat it as plain `required`.
   */
  requiredTools?: readonly string[];
  /**
   * With `auto`: the tool router judged a call likely but not certain (its best tool has no examples to
   * be sure by). A provider that decides by a threshold may lower it; others ignore it.
   */
  callLikely?: boolean;
  /** Ask for one JSON value matching the schema instead of free text (judges, extractors). */
  responseFormat?: { type: "json"; schema: JsonSchema };
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  signal?: AbortSignal;
}

export type FinishReason = "stop" | "tool-calls" | "length" | "abort";

/**
 * What a provider that stands for others (a fallback chain) reports about them as it goes. `message`
 * says it in a sentence for people; the other fields say it for code (metrics, clients).
 */
export type ProviderEvent =
  /** `provider` failed before any output and is tried again after `delayMs`. */
  | { type: "provider-retry"; provider: string; attempt: number; delayMs: number; code: ErrorCode; message: string }
  /** `from` failed; `to` answers instead, carrying on from the streamed text when `resumed`. */
  | { type: "provider-fallback"; from: string; to: string; code: ErrorCode; resumed: boolean; message: string }
  /** `provider` is not tried (its circuit is open); `to` is next. */
  | { type: "provider-skipped"; provider: string; to: string; message: string };

export type ModelStreamEvent =
  | { type: "text-delta"; text: string }
  | ProviderEvent
  | ({ type: "tool-call" } & ToolCallRequest)
  /** `provider` names who answered when that is not the provider itself (a fallback chain). */
  | {
      type: "finish";
      reason: FinishReason;
      usage: TokenUsage;
      model: string;
      provider?: string;
      /**
       * How sure the model was of what it wrote: the geometric mean of the probabilities it gave its
       * tokens (the local model's own, a remote provider's log-probabilities), calibrated when the
       * provider has a calibration for the model. Absent when the provider exposes none (Anthropic).
       */
      confidence?: number;
    };

export interface ModelCapabilities {
  toolCalling: boolean;
  vision: boolean;
  contextTokens: number;
}

/**
 * A model provider streams one model response. It must end with exactly one `finish` event,
 * throw a ProviderError for its own failures, and stop promptly when `request.signal` aborts.
 */
export interface ModelProvider {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent>;
  /**
   * Optional: prepares for requests that will start like these (their system prompt and tools), e.g. a
   * local model reads their system turns into its prompt cache. Generates nothing; returns how many
   * were prepared.
   */
  warmUp?(requests: readonly Pick<ModelRequest, "messages" | "tools">[]): Promise<number>;
  close?(): Promise<void>;
}
