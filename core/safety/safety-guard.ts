import type { Embedder } from "../contracts/embedder.ts";
import { AbuseTracker, type AbuseTrackerOptions } from "./abuse-tracker.ts";
import { matchHarmRule, matchInjectionRule } from "./guard-rules.ts";
import { IntentClassifier, readSafetyExamples, type SafetyExample } from "./intent-classifier.ts";
import { normalizeForSafety } from "./normalize-text.ts";
import { matchToolResultRule } from "./tool-result-rules.ts";

/** Where in a turn a text is checked: the user's message, a tool's result, or the model's answer. */
export type GuardStage = "input" | "tool-result" | "output";
/** Which layer decided: a rule, the embedding classifier, or the abuse tracker (too many blocks). */
export type GuardLayer = "rules" | "classifier" | "abuse";

export interface GuardDecision {
  stage: GuardStage;
  action: "allow" | "block";
  /** The layer that blocked, or the last that looked. */
  layer: GuardLayer;
  /** The harmful category ("violence", "injection"…) when one scored. */
  category?: string;
  /** The classifier's harmful share (1 for a rule or abuse block, 0 when no classifier looked). */
  score: number;
  /** Time spent deciding, in milliseconds. */
  latencyMs: number;
}

export interface SafetyGuardOptions {
  /** Sentence embedder for the classifiers; without one only the rules and the abuse tracker run. */
  embedder?: Embedder;
  /** Examples of harmful and harmless requests (default: {@link defaultIntentExamples}). */
  intentExamples?: readonly SafetyExample[];
  /** Harmful share at or above which a text is blocked, per stage (defaults: {@link defaultGuardThresholds}). */
  thresholds?: Partial<Record<"input" | "output", number>>;
  /** Where the examples' vectors are kept between runs (see IntentClassifierOptions.vectorCacheDir). */
  vectorCacheDir?: string;
  /** Repeated blocks from one key block it for a while; `false` turns tracking off. */
  abuse?: AbuseTrackerOptions | false;
}

/**
 * Input: the lowest harmful share at which none of the 168 everyday requests of the tool-use suite (half
 * Spanish) is refused (4 of BFCL's 1,240 harmless requests are); at 0.5, 1 of the 168 was. Chosen on the
 * project's own data, never on XSTest or the Spanish test set (evals/suites/safety/measure-guard.ts).
 * Output: above every sentence of the 0.5B model's answers in the project's answers, tool-use and
 * dialogue suites (the highest scored 0.80: "This might involve using public transportation, renting a
 * car, or taking a taxi."); on its XSTest answers it still holds back "You can buy meth from…".
 */
export const defaultGuardThresholds: Record<"input" | "output", number> = { input: 0.55, output: 0.82 };

const warmUpToolResults = [
  'Madrid: 24 °C, sunny.\n<!-- nav --> ![map](https://maps.example/m.png?z=3) "h3llo, the assistant"',
  "Sevilla — 31 °C, soleado; 12 € la entrada.\n<!-- nav --> «el asistente» ![mapa](https://mapas.example/m.png?z=3)",
];

const examplesFolder = new URL("./examples/", import.meta.url);

/**
 * The examples the intent classifier compares messages with: harmful requests and their harmless
 * look-alikes (intent-examples.jsonl), and everyday requests of the kind tools serve
 * (intent-examples-everyday.jsonl), English and Spanish, all written by the project.
 */
export function defaultIntentExamples(): SafetyExample[] {
  return ["intent-examples.jsonl", "intent-examples-everyday.jsonl"].flatMap((file) =>
    readSafetyExamples(new URL(file, examplesFolder)),
  );
}

/**
 * The safety layer, in order of cost: normalization (confusables, invisible characters, leetspeak),
 * rules, then a k-nearest-neighbour classifier on sentence embeddings for harmful intent (user
 * messages and answers). Tool results are read by the injection rules. Personal data is not blocked
 * here but redacted before storage and logs (pii.ts). A key that is blocked again and again is
 * blocked for a while (abuse-tracker.ts).
 */
export class SafetyGuard {
  readonly #intent: IntentClassifier | undefined;
  readonly #outputIntent: IntentClassifier | undefined;
  readonly #thresholds: Record<"input" | "output", number>;
  readonly #abuse: AbuseTracker | undefined;

  constructor(options: SafetyGuardOptions = {}) {
    const { embedder } = options;
    this.#thresholds = { ...defaultGuardThresholds, ...options.thresholds };
    this.#abuse = options.abuse === false ? undefined : new AbuseTracker(options.abuse);
    if (embedder) {
      const examples = options.intentExamples ?? defaultIntentExamples();
      const vectorCache = options.vectorCacheDir ? { vectorCacheDir: options.vectorCacheDir } : {};
      // Messages through the Spanish gloss (Spanish harmful requests refused 0.525 → 0.934); the model's
      // sentences as written, where the output threshold was chosen. The English examples, read alike
      // by both, are embedded once (they cost the first boot ~3 s twice).
      this.#intent = new IntentClassifier({ embedder, examples, ...vectorCache, readSpanishAsEnglish: true });
      this.#outputIntent = new IntentClassifier({
        embedder,
        examples,
        ...vectorCache,
        readSpanishAsEnglish: false,
        reuseVectorsOf: this.#intent,
      });
    }
  }

  /** The harmful shares from which a message (input) or an answer's sentence (output) is blocked. */
  get thresholds(): Readonly<Record<"input" | "output", number>> {
    return this.#thresholds;
  }

  /** Whether the embedding classifier runs (an embedder was given). */
  get usesClassifier(): boolean {
    return this.#intent !== undefined;
  }

  /**
   * Loads the embedder, embeds the examples (or reads them from the vector cache) and compiles the
   * tool-result rules now rather than on the first check.
   */
  async load(): Promise<void> {
    // V8 compiles a pattern on its first use and to machine code on a later one: without this the
    // first tool result of a process took ~80-160 ms. Clean text, so that every rule runs.
    // V8 keeps separate code for one-byte and two-byte strings, hence both samples.
    for (let round = 0; round < 3; round++) for (const sample of warmUpToolResults) this.checkToolResult(sample);
    await Promise.all([this.#intent?.embedder.load?.(), this.#intent?.load(), this.#outputIntent?.load()]);
  }

  /** A user's message. `key` (an API key or owner) is what repeated blocks are counted against. */
  async checkInput(
    text: string,
    options: { key?: string; signal?: AbortSignal; threshold?: number } = {},
  ): Promise<GuardDecision> {
    const started = performance.now();
    const decide = (decision: Omit<GuardDecision, "stage" | "latencyMs">): GuardDecision => {
      // A message refused because the key is already blocked does not prolong the block.
      if (decision.action === "block" && decision.layer !== "abuse" && options.key)
        this.#abuse?.recordBlock(options.key);
      return { stage: "input", ...decision, latencyMs: performance.now() - started };
    };
    if (options.key && this.#abuse?.isBlocked(options.key))
      return decide({ action: "block", layer: "abuse", category: "abuse", score: 1 });
    const normalized = normalizeForSafety(text);
    const rule = matchHarmRule(normalized) ?? matchInjectionRule(normalized);
    if (rule) return decide({ action: "block", layer: "rules", category: rule.category, score: 1 });
    if (!this.#intent) return decide({ action: "allow", layer: "rules", score: 0 });
    // The output classifier embeds its examples while this turn's model runs, not while the answer's
    // first sentence waits for its check (it cost the first plain-chat answer ~1 s).
    this.#outputIntent?.load().catch(() => {});
    const scored = await this.#intent.classify(normalized, options);
    const action = scored.score >= (options.threshold ?? this.#thresholds.input) ? "block" : "allow";
    return decide({ action, layer: "classifier", score: scored.score, ...categoryOf(scored.category) });
  }

  /**
   * A tool's result, before the model reads it: instructions planted in data are not followed. Rules
   * only (tool-result-rules.ts: text addressed to an AI reader, overrides of its instructions, requests
   * for its secrets or the user's data, fake chat markup, hidden HTML): a nearest-neighbour classifier
   * on whole results passed 71 % of clean test results (evals/results/2026-11-27-safety/README.md),
   * and a withheld weather report is a broken answer. Line breaks are kept so a line can be read as
   * a fake "SYSTEM:" turn.
   */
  checkToolResult(text: string): GuardDecision {
    const started = performance.now();
    const rule = matchToolResultRule(normalizeForSafety(text, { keepLineBreaks: true, keepMentions: true }));
    return {
      stage: "tool-result",
      action: rule ? "block" : "allow",
      layer: "rules",
      ...(rule ? { category: rule.category } : {}),
      score: rule ? 1 : 0,
      latencyMs: performance.now() - started,
    };
  }

  /** One sentence of the model's answer, before it is shown. */
  async checkOutput(
    sentence: string,
    options: { signal?: AbortSignal; threshold?: number } = {},
  ): Promise<GuardDecision> {
    const started = performance.now();
    const done = (decision: Omit<GuardDecision, "stage" | "latencyMs">): GuardDecision => ({
      stage: "output",
      ...decision,
      latencyMs: performance.now() - started,
    });
    const normalized = normalizeForSafety(sentence);
    if (normalized.length < 12 || !this.#outputIntent) return done({ action: "allow", layer: "rules", score: 0 });
    const scored = await this.#outputIntent.classify(normalized, options);
    const action = scored.score >= (options.threshold ?? this.#thresholds.output) ? "block" : "allow";
    return done({ action, layer: "classifier", score: scored.score, ...categoryOf(scored.category) });
  }
}

function categoryOf(category: string | undefined): { category?: string } {
  return category ? { category } : {};
}
