import type { ToolDefinition } from "../contracts/model.ts";

/** Which tools the model is offered for a message, and whether it must, may or may not call one. */
export interface ToolRoute {
  /** The tools offered, best first (empty when the model should answer in text). */
  tools: readonly ToolDefinition[];
  /**
   * `required`: the router is confident the message needs a call, so the first model round must make
   * one (providers that cannot enforce it treat it as `auto`); `auto`: the model decides; `none`: no call.
   */
  toolChoice: "auto" | "required" | "none";
  /** With `auto`: a call is likely, though not certain enough to require (see ModelRequest.callLikely). */
  callLikely?: boolean;
  /** Tools the message asks for in separate parts: the first round calls each of them once (see ModelRequest). */
  callEach?: string[];
}

/** What a router may know besides the message: the previous turn, for follow-ups ("and in yen?"). */
export interface ToolRouteContext {
  previousUserText?: string;
  signal?: AbortSignal;
}

/** Picks which tools a model is offered for a message (the seed's "tool prediction"). */
export type ToolRouter = (
  message: string,
  tools: readonly ToolDefinition[],
  context?: ToolRouteContext,
) => ToolRoute | Promise<ToolRoute>;

const stopWords = new Set(
  (
    "a an and are as at be by can could do does for from get give how i in is it me my of on or please " +
    "show tell than that the this to use want was what whats which who will with would you your"
  ).split(" "),
);

/** Words of a text, with numbers, percentages and operators folded into shared symbols. */
export function routingTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\d[\d,]*(\.\d+)?/g, " <num> ")
    .replace(/%|\bpercent\b/g, " <percent> ")
    .replace(/[+*/^×÷=]|(?<=\s)-(?=\s)/g, " <op> ")
    .split(/[^a-z0-9<>_]+/)
    .filter((token) => token.length > 1 && !stopWords.has(token))
    .map((token) => (token.length > 4 && token.endsWith("s") && !token.startsWith("<") ? token.slice(0, -1) : token));
}

function toolText(tool: ToolDefinition): string {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
  return [
    tool.name.replace(/[_.-]/g, " "),
    tool.description,
    ...Object.entries(properties).map(
      ([name, property]) => `${name.replace(/[_.-]/g, " ")} ${property.description ?? ""}`,
    ),
    ...(tool.examples ?? []).map((example) => example.request),
  ].join(" ");
}

export interface LexicalRouterOptions {
  /** At most this many tools are offered (default 2). */
  topK?: number;
  /** Tools scoring below this share of the best score are left out (default 0.5). */
  minRelativeScore?: number;
  /** With no tool scoring at least this, none is offered and the model answers directly (default 0.5). */
  minScore?: number;
}

/**
 * Ranks tools by BM25 over their name, description, parameters and worked examples, and offers only
 * the best few. Small local models choose far better among two tools than among ten, and a message no
 * tool matches gets no tool list at all (which also saves the time to read one).
 */
export function createLexicalToolRouter(
  options: LexicalRouterOptions = {},
): (message: string, tools: readonly ToolDefinition[]) => ToolRoute {
  const topK = options.topK ?? 2;
  const minRelative = options.minRelativeScore ?? 0.5;
  const minScore = options.minScore ?? 0.5;
  const cache = new WeakMap<
    readonly ToolDefinition[],
    { documents: Map<string, number>[]; lengths: number[]; idf: Map<string, number>; averageLength: number }
  >();

  const index = (tools: readonly ToolDefinition[]) => {
    let built = cache.get(tools);
    if (built) return built;
    const documents = tools.map((tool) => {
      const counts = new Map<string, number>();
      for (const token of routingTokens(toolText(tool))) counts.set(token, (counts.get(token) ?? 0) + 1);
      return counts;
    });
    const lengths = documents.map((counts) => [...counts.values()].reduce((sum, count) => sum + count, 0));
    const idf = new Map<string, number>();
    for (const counts of documents) for (const token of counts.keys()) idf.set(token, (idf.get(token) ?? 0) + 1);
    for (const [token, frequency] of idf)
      idf.set(token, Math.log(1 + (tools.length - frequency + 0.5) / (frequency + 0.5)));
    built = {
      documents,
      lengths,
      idf,
      averageLength: lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length),
    };
    cache.set(tools, built);
    return built;
  };

  return (message, tools) => {
    const offered = rank(message, tools);
    return { tools: offered, toolChoice: offered.length > 0 ? "auto" : "none" };
  };

  function rank(message: string, tools: readonly ToolDefinition[]): ToolDefinition[] {
    if (tools.length === 0) return [];
    const { documents, lengths, idf, averageLength } = index(tools);
    const query = [...new Set(routingTokens(message))];
    const scored = tools
      .map((tool, position) => {
        let score = 0;
        for (const token of query) {
          const frequency = documents[position]!.get(token) ?? 0;
          if (!frequency) continue;
          score +=
            idf.get(token)! *
            ((frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * lengths[position]!) / averageLength)));
        }
        return { tool, score };
      })
      .sort((a, b) => b.score - a.score);
    const best = scored[0]!.score;
    if (best < minScore) return [];
    return scored
      .filter((entry) => entry.score >= best * minRelative)
      .slice(0, topK)
      .map((entry) => entry.tool);
  }
}
