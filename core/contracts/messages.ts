/** Provider-neutral chat messages, as the turn loop hands them to a model provider. */
export interface ToolCallRequest {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCallRequest[] }
  | { role: "tool"; callId: string; name: string; content: string; isError: boolean };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export function addUsage(total: TokenUsage, more: TokenUsage): TokenUsage {
  return { inputTokens: total.inputTokens + more.inputTokens, outputTokens: total.outputTokens + more.outputTokens };
}
