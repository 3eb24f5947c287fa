import type { ModelProvider, ModelRequest, ModelStreamEvent } from "../contracts/model.ts";

/**
 * A model that answers "you said: <the last user message>" after `delayMs`: for tests of routing
 * and correlation, where each answer must show which message it belongs to and concurrent turns overlap.
 */
export function echoModel(options: { delayMs?: number } = {}): ModelProvider {
  return {
    id: "echo",
    capabilities: { toolCalling: false, vision: false, contextTokens: 8192 },
    async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
      const last = request.messages.findLast((message) => message.role === "user")?.content ?? "";
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 20));
      yield { type: "text-delta", text: `you said: ${last}` };
      yield { type: "finish", reason: "stop", usage: { inputTokens: 1, outputTokens: 1 }, model: "echo" };
    },
  };
}
