/** Provider-neutral chat messages, as the turn loop hands them to a model provider. */
export interface ToolCallRequest {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** An image the user sends with a message, as its bytes (base64): providers that read images get it. */
export interface ImageInput {
  mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  /** The image's bytes, base64 (no `data:` prefix). */
  data: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string; images?: readonly ImageInput[] }
  | { role: "assistant"; content: string; toolCalls?: ToolCallRequest[] }
  | { role: "tool"; callId: string; name: string; content: string; isError: boolean };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export function addUsage(total: TokenUsage, more: TokenUsage): TokenUsage {
  return { inputTokens: total.inputTokens + more.inputTokens, outputTokens: total.outputTokens + more.outputTokens };
}
