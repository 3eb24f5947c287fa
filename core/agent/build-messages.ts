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

/** "Answer in Spanish." in the language itself, said right after the message (see withLanguageReminder). */
const reminders: Partial<Record<LanguageCode, string>> = {
  en: "(Answer in English.)",
  es: "(Responde en español.)",
  fr: "(Réponds en français.)",
  de: "(Antworte auf Deutsch.)",
  pt: "(Responda em português.)",
  it: "(Rispondi in italiano.)",
};

/**
 * A reminder of the language to answer in, to say right after the user's message, when the last answer
 * was in another one: the system prompt's "Always answer in Spanish" loses to an English conversation
 * so far (the 0.5B model answered "¿Cuánto es el 15% de 240?" after "What is 12*7?" in English). The
 * model reads it; the stored message is the user's own.
 */
export function languageReminder(replyLanguage: LanguageCode | undefined, context: SessionContext): string | undefined {
  const lastAnswer = context.recentTurns.at(-1)?.assistantText;
  const reminder = replyLanguage ? reminders[replyLanguage] : undefined;
  if (!reminder || !lastAnswer) return undefined;
  const answered = detectLanguage(lastAnswer)?.language;
  return answered && answered !== replyLanguage ? reminder : undefined;
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
