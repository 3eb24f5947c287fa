import type { ChatMessage } from "../contracts/messages.ts";
import type { SessionContext } from "../contracts/store.ts";
import { detectLanguage, type LanguageCode, languageNames } from "../language/detect-language.ts";

/** The default system prompt's sentence about tools: said only when tools are offered (see `withoutToolInstruction`). */
export const toolResultInstruction = "When a tool gives a result, use it in your answer.";

export const defaultSystemPrompt = `You are a helpful assistant. Answer in one or two sentences. ${toolResultInstruction}`;

/**
 * The system prompt of a turn that offers no tools: without the default prompt's sentence about tool
 * results, which the 0.5B model, given no tool, took for the answer ("How do I say thank you in
 * Japanese?" → "When a tool gives a result, use it in your answer as…"). A prompt of the caller's own
 * loses that exact sentence too, if it has it; otherwise it stays as written.
 */
export function withoutToolInstruction(systemText: string): string {
  return systemText.replace(` ${toolResultInstruction}`, "");
}

/**
 * Turns recalled session context plus the new user text into the messages a model sees. The system
 * prompt names the language to answer in: small models otherwise drift into English after an English
 * tool result.
 */
export function buildMessages(
  systemPrompt: string,
  context: SessionContext,
  userText: string,
  options: {
    replyLanguage?: LanguageCode | undefined;
    instructions?: string | undefined;
    /** Earlier answers longer than this are cut at a sentence end (see AgentOptions.recallAnswerChars). */
    recallAnswerChars?: number | undefined;
  } = {},
): ChatMessage[] {
  const { replyLanguage, instructions, recallAnswerChars } = options;
  // One short sentence in the prompt's own paragraph: as a paragraph of its own ("The user writes in
  // Spanish: answer in Spanish."), the 0.5B model repeated it as its answer.
  const parts = [replyLanguage ? `${systemPrompt} Always answer in ${languageNames[replyLanguage]}.` : systemPrompt];
  if (instructions) parts.push(instructions);
  if (context.summary) parts.push(`Summary of the earlier conversation: ${context.summary}`);
  const messages: ChatMessage[] = [{ role: "system", content: parts.join("\n\n") }];
  for (const turn of context.recentTurns) {
    messages.push({ role: "user", content: turn.userText });
    if (turn.assistantText)
      messages.push({ role: "assistant", content: recalledAnswer(turn.assistantText, recallAnswerChars) });
  }
  messages.push({ role: "user", content: userText });
  return messages;
}

/** The user's language: this message's, or else the one before it ("12*7" after a Spanish question). */
export function replyLanguageOf(userText: string, context: SessionContext): LanguageCode | undefined {
  const previous = context.recentTurns.at(-1)?.userText;
  return (detectLanguage(userText) ?? (previous ? detectLanguage(previous) : undefined))?.language;
}

/**
 * An earlier answer as the model is reminded of it: whole when short enough, else its sentences up to
 * `maxChars` and "…" (at least the first sentence, itself cut at `maxChars`).
 */
export function recalledAnswer(text: string, maxChars: number | undefined): string {
  if (maxChars === undefined || text.length <= maxChars) return text;
  // Sentence ends: after . ! ? followed by white space (not "2.5" or "1.") or before a line break.
  let cut = 0;
  for (const end of text.matchAll(/(?<!\b\d)[.!?](?=\s)|\n/g)) {
    const position = end.index + end[0].length;
    if (position > maxChars) break;
    cut = position;
  }
  return `${text.slice(0, cut || maxChars).trimEnd()} …`;
}
