import type { ChatMessage } from "../contracts/messages.ts";
import type { ModelProvider } from "../contracts/model.ts";
import type { SessionContext, SessionStore, TurnRecord } from "../contracts/store.ts";
import { type LanguageCode, languageNames } from "../language/detect-language.ts";

export interface ContextWindowOptions {
  /** Recent turns recalled whole (seed: 50); the store's `load` returns at most this many. */
  keepTurns: number;
  /** A new rolling summary once this many turns have left the recalled window unsummarized (seed: 10). */
  summarizeEvery: number;
}

export const defaultContextWindow: ContextWindowOptions = { keepTurns: 50, summarizeEvery: 10 };

/** Characters per token for budgeting before a tokenizer is at hand (English and Spanish prose: ~3.5–4). */
const charsPerToken = 3.5;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / charsPerToken);
}

/**
 * The recent turns that fit `budgetTokens`, newest kept first: a model with a 4k context does not get
 * fifty turns, whatever the store recalls. The latest turn is always kept.
 */
export function turnsWithinBudget(turns: readonly TurnRecord[], budgetTokens: number): TurnRecord[] {
  let used = 0;
  let first = turns.length;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index] as TurnRecord;
    used += estimateTokens(turn.userText) + estimateTokens(turn.assistantText) + 8;
    if (used > budgetTokens && index < turns.length - 1) break;
    first = index;
  }
  return turns.slice(first);
}

/** The part of a model's context history may take: half of it, less the answer's tokens. */
export function historyBudget(model: ModelProvider, maxOutputTokens: number | undefined): number {
  return Math.max(256, Math.floor(model.capabilities.contextTokens / 2) - (maxOutputTokens ?? 512));
}

/**
 * Whether a new summary is due after a turn: enough turns have left the recalled window since the
 * summary last covered them. Returns how many turns the new summary should cover (all that left).
 */
export function summaryDue(context: SessionContext, options: ContextWindowOptions): number | undefined {
  const turnCount = context.turnCount ?? 0;
  const outside = turnCount - options.keepTurns;
  const covered = context.summaryCoversTurns ?? 0;
  return outside - covered >= options.summarizeEvery ? outside : undefined;
}

/**
 * Writes the session's rolling summary with the turn's own model (any provider): the previous
 * summary plus the turns that have left the recalled window, condensed into a few sentences that keep
 * names, numbers, dates and what the user wants. Stored with how many turns it covers.
 */
export async function writeRollingSummary(
  model: ModelProvider,
  store: SessionStore,
  sessionId: string,
  coversTurns: number,
  options: ContextWindowOptions & { language?: LanguageCode | undefined; signal?: AbortSignal },
): Promise<string> {
  const context = await store.load(sessionId);
  const previouslyCovered = context.summaryCoversTurns ?? 0;
  const turnCount = context.turnCount ?? 0;
  const history = await store.history(sessionId, { limit: turnCount - previouslyCovered });
  // history holds the session's last turns (a store may cap it): the first is turn number `firstIndex`.
  const firstIndex = turnCount - history.length;
  const leaving = history.slice(Math.max(0, previouslyCovered - firstIndex), Math.max(0, coversTurns - firstIndex));
  if (leaving.length === 0) return context.summary ?? "";
  const transcript = leaving.map((turn) => `User: ${turn.userText}\nAssistant: ${turn.assistantText}`).join("\n\n");
  const language = options.language ? ` Write it in ${languageNames[options.language]}.` : "";
  const messages: ChatMessage[] = [
    {
      role: "system",
      content: `You summarize conversations. In at most five sentences, keep every name, number, amount, date and place, and what the user wants to do.${language}`,
    },
    {
      role: "user",
      content: `${context.summary ? `Summary so far: ${context.summary}\n\n` : ""}Conversation to add:\n${transcript}\n\nWrite the new summary.`,
    },
  ];
  let summary = "";
  for await (const event of model.stream({
    messages,
    tools: [],
    toolChoice: "none",
    maxOutputTokens: 200,
    temperature: 0,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (event.type === "text-delta") summary += event.text;
  }
  summary = summary.trim();
  if (summary) await store.setSummary(sessionId, summary, coversTurns);
  return summary;
}
