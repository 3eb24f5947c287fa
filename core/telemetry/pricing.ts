import { readFileSync } from "node:fs";
import { z } from "zod";
import type { TokenUsage } from "../contracts/messages.ts";

/** USD per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

export type PriceTable = Record<string, ModelPrice>;

/**
 * List prices as the vendors published them (USD per million tokens, standard tier). Models not listed
 * have no cost figure rather than a guessed one; RTA_PRICES_FILE adds or overrides entries. The local
 * model costs nothing per token.
 */
export const defaultPrices: PriceTable = {
  local: { inputPerMillion: 0, outputPerMillion: 0 },
  "claude-sonnet-4-5": { inputPerMillion: 3, outputPerMillion: 15 },
  "claude-haiku-4-5": { inputPerMillion: 1, outputPerMillion: 5 },
  "claude-opus-4-5": { inputPerMillion: 5, outputPerMillion: 25 },
  "gpt-4o": { inputPerMillion: 2.5, outputPerMillion: 10 },
  "gpt-4o-mini": { inputPerMillion: 0.15, outputPerMillion: 0.6 },
};

const priceFileSchema = z.record(
  z.string(),
  z.object({ input_per_million: z.number().min(0), output_per_million: z.number().min(0) }),
);

/** The default table with the entries of a JSON file ({"model": {"input_per_million": n, "output_per_million": n}}) on top. */
export function loadPrices(file: string | undefined): PriceTable {
  if (!file) return defaultPrices;
  const parsed = priceFileSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
  const extra = Object.fromEntries(
    Object.entries(parsed.data).map(([model, price]) => [
      model,
      { inputPerMillion: price.input_per_million, outputPerMillion: price.output_per_million },
    ]),
  );
  return { ...defaultPrices, ...extra };
}

/** The cost of one response, or undefined when the model's price is unknown. Dated snapshots match their alias. */
export function costOf(prices: PriceTable, provider: string, model: string, usage: TokenUsage): number | undefined {
  const price = provider === "local" ? prices.local : (prices[model] ?? prices[model.replace(/-\d{8}$/, "")]);
  if (!price) return undefined;
  return (usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion) / 1_000_000;
}
