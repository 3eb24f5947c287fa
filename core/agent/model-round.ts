import { ProviderError } from "../spec/errors.ts";
import type { TokenUsage, ToolCallRequest } from "../spec/messages.ts";
import type { FinishReason, ModelProvider, ModelRequest } from "../spec/model.ts";

export interface ModelRoundResult {
  text: string;
  toolCalls: ToolCallRequest[];
  usage: TokenUsage;
  finishReason: FinishReason;
  model: string;
}

/** Streams one model response: yields text as it arrives and returns what the model decided. */
export async function* runModelRound(
  provider: ModelProvider,
  request: ModelRequest,
): AsyncGenerator<string, ModelRoundResult> {
  let text = "";
  const toolCalls: ToolCallRequest[] = [];
  for await (const event of provider.stream(request)) {
    switch (event.type) {
      case "text-delta":
        if (event.text.length === 0) break;
        text += event.text;
        yield event.text;
        break;
      case "tool-call":
        toolCalls.push({ callId: event.callId, name: event.name, arguments: event.arguments });
        break;
      case "finish":
        return { text, toolCalls, usage: event.usage, finishReason: event.reason, model: event.model };
    }
  }
  throw new ProviderError("PROVIDER_FAILED", `Provider ${provider.id} ended its stream without a finish event.`);
}
