import type { Embedder } from "../contracts/embedder.ts";
import { IntentClassifier, readSafetyExamples, type SafetyExample } from "../safety/intent-classifier.ts";
import { builtinSpecialists, checkSpecialists, generalSpecialist, type Specialist } from "./specialist.ts";

/** Which specialist answers a message, how sure the router is, and who else it may consult. */
export interface SpecialistChoice {
  specialist: Specialist;
  /** Its share of the nearest examples' weight (0 … 1; the rest went to others, or to no example near). */
  share: number;
  /** Other specialists the message is also near, best first: the chosen one may consult them. */
  consultable: Specialist[];
  /** Routed on the previous message with this one: alone it was near no example ("and in yen?"). */
  followUp: boolean;
}

export interface SpecialistRouterOptions {
  embedder: Embedder;
  /** Default: {@link builtinSpecialists}. One must be named "general". */
  specialists?: readonly Specialist[];
  /** Labelled messages (label = a specialist's name). Default: {@link defaultSpecialistExamples}. */
  examples?: readonly SafetyExample[];
  /** A specialist's share of the vote at or above which it takes the message (default 0.5). */
  minShare?: number;
  /** Another specialist's share at or above which the chosen one may consult it (default 0.2). */
  consultShare?: number;
  /** Below this similarity to every example, a message is read with the previous one (default 0.45). */
  followUpSimilarity?: number;
  /** Where the examples' vectors are kept between runs (see IntentClassifierOptions). */
  vectorCacheDir?: string;
}

/** The examples the project wrote for the built-in specialists, English and Spanish (14 each). */
export function defaultSpecialistExamples(): SafetyExample[] {
  return readSafetyExamples(new URL("./intent-examples.jsonl", import.meta.url));
}

/**
 * The intent router of the seed's phase 3: a message is compared on the local sentence embeddings with
 * examples of what each specialist is asked (the safety guard's nearest-neighbour vote, with
 * "general" as the label that takes no side), and goes to the specialist with most of the vote, or to
 * the general one when none has `minShare` of it. Costs one embedding of the message.
 */
export class SpecialistRouter {
  readonly specialists: readonly Specialist[];
  readonly #classifier: IntentClassifier;
  readonly #byName: Map<string, Specialist>;
  readonly #minShare: number;
  readonly #consultShare: number;
  readonly #followUpSimilarity: number;

  constructor(options: SpecialistRouterOptions) {
    this.specialists = options.specialists ?? builtinSpecialists;
    checkSpecialists(this.specialists);
    this.#byName = new Map(this.specialists.map((specialist) => [specialist.name, specialist]));
    const examples = options.examples ?? defaultSpecialistExamples();
    const unknown = examples.find((example) => !this.#byName.has(example.label));
    if (unknown) throw new Error(`A routing example is labelled "${unknown.label}", which is no specialist.`);
    this.#classifier = new IntentClassifier({
      embedder: options.embedder,
      examples,
      harmlessLabels: [generalSpecialist],
      ...(options.vectorCacheDir ? { vectorCacheDir: options.vectorCacheDir } : {}),
    });
    this.#minShare = options.minShare ?? 0.5;
    this.#consultShare = options.consultShare ?? 0.2;
    this.#followUpSimilarity = options.followUpSimilarity ?? 0.45;
  }

  byName(name: string): Specialist | undefined {
    return this.#byName.get(name);
  }

  /** Embeds the examples now rather than on the first message. */
  async load(): Promise<void> {
    await this.#classifier.load();
  }

  async route(
    text: string,
    context: { previousUserText?: string | undefined; signal?: AbortSignal } = {},
  ): Promise<SpecialistChoice> {
    const signal = context.signal ? { signal: context.signal } : {};
    let score = await this.#classifier.classify(text, signal);
    let followUp = false;
    if (score.nearestSimilarity < this.#followUpSimilarity && context.previousUserText) {
      score = await this.#classifier.classify(`${context.previousUserText} ${text}`, signal);
      followUp = true;
    }
    const ranked = Object.entries(score.shares)
      .filter(([name]) => name !== generalSpecialist)
      .sort((left, right) => right[1] - left[1]);
    const [best, bestShare = 0] = ranked[0] ?? [];
    const chosen = best !== undefined && bestShare >= this.#minShare ? this.#byName.get(best)! : this.general;
    const allowed = chosen.mayConsult ?? this.specialists.map((specialist) => specialist.name);
    const consultable =
      chosen.name === generalSpecialist
        ? []
        : ranked
            .filter(([name, share]) => name !== chosen.name && share >= this.#consultShare && allowed.includes(name))
            .map(([name]) => this.#byName.get(name)!);
    return { specialist: chosen, share: score.shares[chosen.name] ?? 0, consultable, followUp };
  }

  get general(): Specialist {
    return this.#byName.get(generalSpecialist)!;
  }
}
