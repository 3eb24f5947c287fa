import { ProviderError } from "../contracts/errors.ts";
import type { AgentEvent } from "../contracts/events.ts";
import type { ToolCallRequest } from "../contracts/messages.ts";
import type { FinishReason, ModelProvider, ModelRequest } from "../contracts/model.ts";
import type { TurnProgress } from "./turn-progress.ts";

export interface ModelRoundResult {
  /** This round's text (the turn's current answer segment). */
  text: string;
  toolCalls: ToolCallRequest[];
  finishReason: FinishReason;
}

/**
 * Streams one model response as turn events: text of the current answer segment as it arrives, and the
 * provider's retries, skips and fallbacks. Records text, usage and model time in the turn's progress, and
 * returns what the model decided.
 */
export async function* runModelRound(
  provider: ModelProvider,
  request: ModelRequest,
  turn: TurnProgress,
): AsyncGenerator<AgentEvent, ModelRoundResult> {
  const started = performance.now();
  const toolCalls: ToolCallRequest[] = [];
  let text = "";
  try {
    for await (const event of provider.stream(request)) {
      switch (event.type) {
        case "text-delta":
          if (event.text.length === 0) break;
          text += event.text;
          turn.addText(event.text);
          yield { type: "text-delta", turnId: turn.turnId, text: event.text, segment: turn.segment };
          break;
        case "tool-call":
          toolCalls.push({ callId: event.callId, name: event.name, arguments: event.arguments });
          break;
        case "finish":
          turn.addModelRound(event.usage, event.provider ?? provider.id, event.model);
          return { text, toolCalls, finishReason: event.reason };
        default:
          yield { ...event, turnId: turn.turnId };
      }
    }
  } finally {
    turn.timer.add("model", performance.now() - started);
  }
  throw new ProviderError("PROVIDER_FAILED", `Provider ${provider.id} ended its stream without a finish event.`);
}
