import { createHash } from "node:crypto";
import { cosineSimilarity, type Embedder } from "../contracts/embedder.ts";
import { embedExamples } from "../embeddings/example-vectors.ts";
import { AgentError } from "../contracts/errors.ts";
import type { ToolDefinition } from "../contracts/model.ts";
import type { Logger } from "../contracts/logger.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { englishReading } from "../language/spanish-gloss.ts";
import { messageParts } from "./message-parts.ts";
import { defaultNoToolExamples } from "./no-tool-examples.ts";
import { createLexicalToolRouter, type ToolRouteContext, type ToolRouter } from "./tool-router.ts";
import { escapeRegExp } from "../language/escape-regexp.ts";

/**
 * Cosine-similarity thresholds of the predictor. The leads over the no-tool examples matter most:
 * Spanish text sits ~0.5 from every Spanish example (the embedder is English), so absolute scores do
 * not carry across languages while the lead of a tool over "no tool" does.
 */
export interface PredictorThresholds {
  /** No tool is offered unless the best tool scores at least this (0: only the lead decides). */
  offer: number;
  /** No tool is offered unless the best tool beats the no-tool examples by at least this. */
  offerLead: number;
  /** A call is required when the best tool scores at least this ... */
  require: number;
  /** ... and beats the no-tool examples by at least this. */
  requireLead: number;
  /** Runners-up within this of the best tool are offered too (two-tool requests). */
  runnerUpGap: number;
  /** At most this many tools are offered. */
  topK: number;
  /** Scores of the message read together with the previous one count this much less. */
  followUpPenalty: number;
  /**
   * A message is read together with the previous one only when, alone, its best tool scores at least
   * the no-tool examples minus this: "thanks, that's all" after a weather question is no follow-up.
   */
  followUpMargin: number;
}

/**
 * Tuned on the dev split of evals/suites/tool-use (`measure-router.ts --tune`), session 8, with Spanish
 * read through its gloss (evals/results/2026-11-27-tool-predictor).
 */
export const defaultPredictorThresholds: PredictorThresholds = {
  offer: 0.3,
  offerLead: 0.06,
  require: 0.4,
  requireLead: 0.05,
  runnerUpGap: 0.2,
  topK: 2,
  followUpPenalty: 0,
  followUpMargin: 0.15,
};

const maxCachedTools = 512;

export type ToolDecision = "none" | "offer" | "require";

export interface ToolPrediction {
  /** `none`: answer without tools; `offer`: the model may call one; `require`: it must. */
  decision: ToolDecision;
  /** The tools offered, best first, with their scores (empty for `none`). */
  tools: { name: string; score: number }[];
  /** Every tool's score (the best similarity to its description and examples). */
  scores: Record<string, number>;
  /** The best similarity to the no-tool examples. */
  noToolScore: number;
}

/** Similarities of one message, before any threshold applies. */
export interface ToolScores {
  /** Per tool: the best similarity of the message to the tool's description and examples. */
  own: Record<string, number>;
  /** Per tool, the same for the previous message and this one read together (follow-ups). */
  withPrevious?: Record<string, number>;
  /** The best similarity of the message to the no-tool examples. */
  noToolScore: number;
}

export interface ToolPredictorOptions {
  embedder: Embedder;
  /** Requests that need no tool, in every language served (default: greetings, small talk, general knowledge). */
  noToolExamples?: readonly string[];
  thresholds?: Partial<PredictorThresholds>;
  /** Routes when the embedder is unavailable (default: the lexical router). */
  fallback?: ToolRouter;
  /**
   * An English reading of a message the embedder reads poorly, scored instead of the message (default:
   * a Spanish message's word-by-word gloss, spanish-gloss.ts; `() => undefined` turns it off).
   */
  gloss?: (text: string) => string | undefined;
  /** Where the tools' and the no-tool examples' vectors are kept between runs (see `embedExamples`). */
  vectorCacheDir?: string;
  logger?: Logger;
}

/**
 * Predicts which tools a message needs from sentence embeddings: each tool is represented by its
 * description and its examples' requests, "no tool" by examples of its own, and a message scores the
 * best cosine similarity to each. A follow-up ("and in yen?") is also read together with the previous
 * message. The decision is explicit — none, offer or require — because small models call a tool on
 * most requests that need none. Tool vectors are cached by name and content, so only new or changed
 * tools are embedded. When the embedder cannot load, `route` falls back to the lexical router.
 */
export class ToolPredictor {
  readonly thresholds: PredictorThresholds;
  readonly #embedder: Embedder;
  readonly #noToolExamples: readonly string[];
  readonly #fallback: ToolRouter;
  readonly #logger: Logger;
  readonly #gloss: (text: string) => string | undefined;
  readonly #vectorCacheDir: string | undefined;
  readonly #toolVectors = new Map<string, Promise<Float32Array[]>>();
  #noToolVectors: Promise<Float32Array[]> | undefined;
  #warnedFallback = false;

  constructor(options: ToolPredictorOptions) {
    this.#embedder = options.embedder;
    this.#noToolExamples = options.noToolExamples ?? defaultNoToolExamples;
    this.thresholds = { ...defaultPredictorThresholds, ...options.thresholds };
    this.#fallback = options.fallback ?? createLexicalToolRouter({ topK: this.thresholds.topK });
    this.#logger = options.logger ?? silentLogger;
    this.#gloss = options.gloss ?? englishReading;
    this.#vectorCacheDir = options.vectorCacheDir;
  }

  async predict(
    message: string,
    tools: readonly ToolDefinition[],
    context: ToolRouteContext = {},
  ): Promise<ToolPrediction> {
    return this.decide(await this.score(message, tools, context));
  }

  /** Similarities of the message (and, with a previous message, of both together) to every class. */
  async score(message: string, tools: readonly ToolDefinition[], context: ToolRouteContext = {}): Promise<ToolScores> {
    const previous = context.previousUserText?.trim();
    // A Spanish message is read through its English gloss, and so are Spanish examples: as written, it
    // sits ~0.6 from every Spanish example whatever it asks, and its best match says little (scoring
    // both readings and keeping the higher changed no decision on the tool-use cases).
    const reading = (text: string) => this.#gloss(text) ?? text;
    const queries = previous ? [reading(message), reading(`${previous} ${message}`)] : [reading(message)];
    const [queryVectors, toolVectors, noToolVectors] = await Promise.all([
      this.#embedder.embed(queries, context.signal ? { signal: context.signal } : {}),
      Promise.all(tools.map((tool) => this.#vectorsOf(tool))),
      this.#noToolVectors ?? this.#embedNoToolExamples(),
    ]);
    const scoresOf = (query: Float32Array) =>
      Object.fromEntries(tools.map((tool, index) => [tool.name, bestSimilarity(query, toolVectors[index]!)]));
    const [own, withPrevious] = queryVectors;
    return {
      own: scoresOf(own!),
      ...(withPrevious ? { withPrevious: scoresOf(withPrevious) } : {}),
      noToolScore: bestSimilarity(own!, noToolVectors),
    };
  }

  /** The decision for given similarities (apart from `score`, so thresholds can be tuned without re-embedding). */
  decide(similarities: ToolScores, thresholds = this.thresholds): ToolPrediction {
    const { own, noToolScore } = similarities;
    const ownBest = Math.max(...Object.values(own));
    const withPrevious = ownBest >= noToolScore - thresholds.followUpMargin ? similarities.withPrevious : undefined;
    const scores: Record<string, number> = {};
    for (const [name, score] of Object.entries(own)) {
      const together = withPrevious?.[name];
      scores[name] = together === undefined ? score : Math.max(score, together - thresholds.followUpPenalty);
    }
    const ranked = Object.entries(scores)
      .map(([name, score]) => ({ name, score }))
      .sort((a, b) => b.score - a.score);
    const best = ranked[0]?.score ?? Number.NEGATIVE_INFINITY;
    if (best < thresholds.offer || best - noToolScore < thresholds.offerLead) {
      return { decision: "none", tools: [], scores, noToolScore };
    }
    const offered = ranked
      .filter((entry) => entry.score >= thresholds.offer && entry.score >= best - thresholds.runnerUpGap)
      .slice(0, Math.max(1, thresholds.topK));
    const confident = best >= thresholds.require && best - noToolScore >= thresholds.requireLead;
    return { decision: confident ? "require" : "offer", tools: offered, scores, noToolScore };
  }

  /** The predictor as the Agent's tool router; the lexical router answers when the embedder cannot. */
  readonly route: ToolRouter = async (message, tools, context) => {
    if (tools.length === 0) return { tools: [], toolChoice: "none" };
    // "Please use the calculator": a tool the user names is the one to call, whatever the scores say.
    const named = namedTools(message, tools);
    if (named.length > 0) return { tools: named, toolChoice: "required" };
    let prediction: ToolPrediction;
    try {
      prediction = await this.predict(message, tools, context);
    } catch (error) {
      if (!AgentError.isInstance(error) || error.code !== "EMBEDDER_UNAVAILABLE") throw error;
      if (!this.#warnedFallback) {
        this.#warnedFallback = true;
        this.#logger.warn("tool predictor: embedder unavailable, routing lexically", { error: error.message });
      }
      return this.#fallback(message, tools, context);
    }
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const callEach = await this.toolsPerPart(message, tools, context);
    if (callEach.length >= 2) {
      const names = [...new Set([...callEach, ...prediction.tools.map((entry) => entry.name)])];
      return { tools: names.flatMap((name) => byName.get(name) ?? []), toolChoice: "required", callEach };
    }
    const offered = prediction.tools.flatMap((entry) => byName.get(entry.name) ?? []);
    if (prediction.decision === "require" && !offered[0]?.examples?.length) {
      // A tool known by its description alone (an OpenAPI or MCP tool, a BFCL function): its score is
      // less sure than one backed by examples, so the call is likely rather than required.
      return { tools: offered, toolChoice: "auto", callLikely: true };
    }
    const toolChoice =
      prediction.decision === "require" ? "required" : prediction.decision === "offer" ? "auto" : "none";
    return { tools: offered, toolChoice };
  };

  /**
   * For a message in several parts ("the weather in Lisbon, and 200 dollars in euros"): the best tool of
   * each part that needs one, when they are different tools (at most `topK`, in the parts' order);
   * otherwise none. Small models asked for both call only the first. On the dev split of the tool-use
   * cases this found 10 of the 12 two-tool requests, and 1 of the 70 single-tool ones.
   */
  async toolsPerPart(
    message: string,
    tools: readonly ToolDefinition[],
    context: ToolRouteContext = {},
  ): Promise<string[]> {
    const parts = messageParts(message);
    if (parts.length < 2) return [];
    const required: string[] = [];
    for (const part of parts) {
      const prediction = this.decide(await this.score(part, tools, context.signal ? { signal: context.signal } : {}));
      const best = prediction.tools[0]?.name;
      if (prediction.decision !== "none" && best && !required.includes(best)) required.push(best);
    }
    return required.length >= 2 ? required.slice(0, Math.max(2, this.thresholds.topK)) : [];
  }

  #vectorsOf(tool: ToolDefinition): Promise<Float32Array[]> {
    const texts = [tool.description, ...(tool.examples ?? []).map((example) => example.request)];
    const key = `${tool.name}:${createHash("sha256").update(JSON.stringify(texts)).digest("hex")}`;
    let vectors = this.#toolVectors.get(key);
    if (!vectors) {
      vectors = this.#embedExamples(texts);
      vectors.catch(() => this.#toolVectors.delete(key));
      this.#toolVectors.set(key, vectors);
      // Per-turn tool sets (evals, MCP servers) would otherwise grow the cache without end.
      if (this.#toolVectors.size > maxCachedTools) this.#toolVectors.delete(this.#toolVectors.keys().next().value!);
    }
    return vectors;
  }

  /** Examples as they are scored (through their English reading), kept between runs when asked. */
  #embedExamples(texts: readonly string[]): Promise<Float32Array[]> {
    const readings = texts.map((text) => this.#gloss(text) ?? text);
    return embedExamples(this.#embedder, readings, this.#vectorCacheDir ? { cacheDir: this.#vectorCacheDir } : {});
  }

  #embedNoToolExamples(): Promise<Float32Array[]> {
    const vectors = this.#embedExamples(this.#noToolExamples);
    this.#noToolVectors = vectors;
    vectors.catch(() => {
      this.#noToolVectors = undefined;
    });
    return vectors;
  }
}

/**
 * The tools a message asks for by name ("use the calculator", "with web search"): the tool's name, with
 * spaces for underscores, after "use", "using" or "with".
 */
export function namedTools(message: string, tools: readonly ToolDefinition[]): ToolDefinition[] {
  const text = message.toLowerCase();
  return tools.filter((tool) => {
    const name = escapeRegExp(tool.name.toLowerCase().replaceAll("_", " "));
    return new RegExp(`\\b(?:use|using|with)\\s+(?:the\\s+|a\\s+|your\\s+)?${name}\\b`).test(text);
  });
}

function bestSimilarity(vector: Float32Array, candidates: readonly Float32Array[]): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) best = Math.max(best, cosineSimilarity(vector, candidate));
  return best;
}
