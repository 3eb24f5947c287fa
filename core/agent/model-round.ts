import { ProviderError } from "../contracts/errors.ts";
import type { TokenUsage, ToolCallRequest } from "../contracts/messages.ts";
import type { FinishReason, ModelProvider, ModelRequest } from "../contracts/model.ts";

export interface ModelRoundResult {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage;
  finishReason: FinishReason;
  model: string;
  provider: string;
}

export type ModelRoundOutput =
  | { kind: "text"; text: string }
  | { kind: "notice"; event: string; message: string; data?: Record<string, unknown> };

/** Streams one model response: yields text (and notices) as they arrive and returns what the model decided. */
export async function* runModelRound(
  provider: ModelProvider,
  request: ModelRequest,
): AsyncGenerator<ModelRoundOutput, ModelRoundResult> {
  let text = "";
  const toolCalls: ToolCallRequest[] = [];
  for await (const event of provider.stream(request)) {
    switch (event.type) {
      case "text-delta":
        if (event.text.length === 0) break;
        text += event.text;
        yield { kind: "text", text: event.text };
        break;
      case "notice":
        yield {
          kind: "notice",
          event: event.event,
          message: event.message,
          ...(event.data ? { data: event.data } : {}),
        };
        break;
      case "tool-call":
        toolCalls.push({ callId: event.callId, name: event.name, arguments: event.arguments });
        break;
      case "finish":
        return {
          text,
          toolCalls,
          usage: event.usage,
          finishReason: event.reason,
          model: event.model,
          provider: event.provider ?? provider.id,
        };
    }
  }
  throw new ProviderError("PROVIDER_FAILED", `Provider ${provider.id} ended its stream without a finish event.`);
}
