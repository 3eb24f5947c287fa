import type { ChatMessage, TokenUsage } from "../contracts/messages.ts";
import type { ModelProvider, ModelRequest } from "../contracts/model.ts";
import { AgentError } from "../contracts/errors.ts";
import { foldText } from "../language/compare-words.ts";

/** The seed's four ways of reasoning about a hard question, each run as a chain of its own. */
export const reasoningChainKinds = ["analytical", "logical", "creative", "causal"] as const;
export type ReasoningChainKind = (typeof reasoningChainKinds)[number];

/** What each chain is told to do, after the turn's system prompt. Each ends on an "Answer:" line. */
const chainInstructions: Record<ReasoningChainKind, string> = {
  analytical:
    "Think analytically: split the question into parts, work out each part with its numbers, then put the parts together.",
  logical: "Think logically: go step by step from what the question gives to what follows from it, checking each step.",
  creative: "Think creatively: restate the question in a simpler way or from another angle, then work it out.",
  causal: "Think causally: follow what changes what, in order, from the start of the question to its result.",
};

const answerLine = 'Write your reasoning in a few short steps, then a last line "Answer: " with the final answer only.';

export interface ReasoningChain {
  kind: ReasoningChainKind;
  text: string;
  /** The chain's "Answer:" line, when it wrote one. */
  answer: string | undefined;
  usage: TokenUsage;
}

export interface ChainOptions {
  kinds?: readonly ReasoningChainKind[];
  /** Tokens per chain (default 256). */
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  signal: AbortSignal;
}

/**
 * Runs the chains at once on the turn's conversation (no tools: the chains reason from what the
 * conversation holds), each with its own instruction; a chain that fails is left out, and when all
 * fail the first failure is thrown.
 */
export async function runReasoningChains(
  model: ModelProvider,
  messages: readonly ChatMessage[],
  options: ChainOptions,
): Promise<ReasoningChain[]> {
  const kinds = options.kinds ?? reasoningChainKinds;
  const settled = await Promise.allSettled(
    kinds.map(async (kind): Promise<ReasoningChain> => {
      const request: ModelRequest = {
        messages: withInstruction(messages, `${chainInstructions[kind]} ${answerLine}`),
        tools: [],
        toolChoice: "none",
        maxOutputTokens: options.maxOutputTokens ?? 256,
        signal: options.signal,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      };
      let text = "";
      let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
      for await (const event of model.stream(request)) {
        if (event.type === "text-delta") text += event.text;
        else if (event.type === "finish") usage = event.usage;
      }
      return { kind, text: text.trim(), answer: finalAnswerOf(text), usage };
    }),
  );
  if (options.signal.aborted) throw new AgentError("TURN_ABORTED", "The turn was cancelled.");
  // Every chain failed (the provider refused, timed out): the turn fails with the first one's error.
  const failure = settled.find((result) => result.status === "rejected");
  if (failure && settled.every((result) => result.status === "rejected")) throw failure.reason;
  return settled.flatMap((result) => (result.status === "fulfilled" && result.value.text ? [result.value] : []));
}

/** The text after the last "Answer:" (or "Respuesta:") line, trimmed. */
export function finalAnswerOf(text: string): string | undefined {
  const matches = [
    ...text.matchAll(/(?:^|\n)\s*\**(?:final\s+)?(?:answer|respuesta(?:\s+final)?)\**\s*[:：]\s*\**\s*(.+)/gi),
  ];
  // Qwen's math habits: "\boxed{8}", "$8$".
  const last = matches
    .at(-1)?.[1]
    ?.replace(/\\boxed\{([^}]*)\}/g, "$1")
    .replace(/\$/g, "")
    .replace(/\*+\s*$/, "")
    .trim();
  return last || undefined;
}

/**
 * Answers compared by their first number (or time), sign included, when they give one ("8", "8 euros."
 * and "**8**" agree; "-8" does not), else by their words.
 */
function answerKey(answer: string): string {
  // The sign counts: "-8" is another answer than "8".
  const number = answer.match(/-?\d+(?:[.,:]\d+)?/)?.[0];
  if (number) return number.replace(",", ".");
  return foldText(answer)
    .replace(/[^\p{L}\p{N}.:,]+/gu, " ")
    .replace(/[.,]$/, "")
    .trim();
}

/** The answer most chains reached, when more than one chain reached it. */
export function majorityAnswer(chains: readonly ReasoningChain[]): { answer: string; votes: number } | undefined {
  const votes = new Map<string, { answer: string; votes: number }>();
  for (const chain of chains) {
    if (!chain.answer) continue;
    const key = answerKey(chain.answer);
    const entry = votes.get(key) ?? { answer: chain.answer, votes: 0 };
    entry.votes++;
    votes.set(key, entry);
  }
  const best = [...votes.values()].sort((left, right) => right.votes - left.votes)[0];
  return best && best.votes > 1 ? best : undefined;
}

/**
 * The messages of the synthesis: the turn's conversation with the chains' reasoning in the system
 * prompt, and which answer most of them reached, for the model to check and answer from.
 */
export function synthesisMessages(messages: readonly ChatMessage[], chains: readonly ReasoningChain[]): ChatMessage[] {
  const worked = chains.map((chain) => `[${chain.kind}]\n${chain.text}`).join("\n\n");
  const majority = majorityAnswer(chains);
  const agreement = majority
    ? `${majority.votes} of ${chains.length} lines of reasoning reached: ${majority.answer}.`
    : "The lines of reasoning did not agree.";
  return withInstruction(
    messages,
    `Lines of reasoning about the user's last message:\n\n${worked}\n\n${agreement} Check them, keep what is right, and answer the user with the final answer in one or two sentences, without repeating the reasoning.`,
  );
}

function withInstruction(messages: readonly ChatMessage[], instruction: string): ChatMessage[] {
  const [first, ...rest] = messages;
  if (first?.role === "system") return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: "system", content: instruction }, ...messages];
}
