import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { ProviderError } from "../../contracts/errors.ts";

/**
 * The model's probabilities for the token after `tokens`, sorted from the most likely. Reuses the
 * sequence's evaluated prefix (as LlamaCompletion does), so asking after a prompt and then generating
 * from the same prompt evaluates it once.
 */
export async function nextTokenProbabilities(
  sequence: LlamaContextSequence,
  tokens: readonly Token[],
): Promise<Map<Token, number>> {
  if (tokens.length === 0) throw new ProviderError("PROVIDER_FAILED", "Cannot predict a token after an empty prompt.");
  // LlamaCompletion starts its input with the beginning-of-sequence token when the model asks for one.
  const { bos, shouldPrependBosToken } = sequence.model.tokens;
  if (shouldPrependBosToken && bos !== null && tokens[0] !== bos) tokens = [bos, ...tokens];
  await sequence.adaptStateToTokens(tokens.slice(0, -1), false);
  const pending = tokens.slice(sequence.nextTokenIndex);
  const output = await sequence.controlledEvaluate(
    pending.map((token, index) =>
      index === pending.length - 1 ? [token, { generateNext: { probabilities: true } }] : token,
    ),
  );
  const probabilities = output.at(-1)?.next.probabilities;
  if (!probabilities)
    throw new ProviderError("PROVIDER_FAILED", "The local model returned no next-token probabilities.");
  return probabilities;
}
