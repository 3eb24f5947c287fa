import type { ChatMessage } from "../contracts/messages.ts";
import type { SessionContext } from "../contracts/store.ts";

export const defaultSystemPrompt =
  "You are a helpful assistant. Answer in one or two sentences. When a tool gives a result, use it in your answer.";

/** Turns recalled session context plus the new user text into the messages a model sees. */
export function buildMessages(systemPrompt: string, context: SessionContext, userText: string): ChatMessage[] {
  const system = context.summary
    ? `${systemPrompt}\n\nSummary of the earlier conversation: ${context.summary}`
    : systemPrompt;
  const messages: ChatMessage[] = [{ role: "system", content: system }];
  for (const turn of context.recentTurns) {
    messages.push({ role: "user", content: turn.userText });
    if (turn.assistantText) messages.push({ role: "assistant", content: turn.assistantText });
  }
  messages.push({ role: "user", content: userText });
  return messages;
}
