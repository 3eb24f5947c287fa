import type { LlamaContextSequence } from "node-llama-cpp";

type EvaluateWithMetadata = LlamaContextSequence["evaluateWithMetadata"];

/**
 * The probability the model gave each token it wrote on a sequence, while recording. node-llama-cpp's
 * LlamaCompletion samples through `sequence.evaluate`, which reads `evaluateWithMetadata` with no
 * metadata; while recording, that call asks for the sampled token's `confidence` too (computed in the
 * same decoding step: no second pass over the answer). Detach before the sequence goes back to its pool.
 */
export class TokenConfidenceRecorder {
  readonly probabilities: number[] = [];
  readonly #sequence: LlamaContextSequence;
  readonly #original: EvaluateWithMetadata;
  readonly #hadOwn: boolean;

  constructor(sequence: LlamaContextSequence) {
    this.#sequence = sequence;
    this.#original = sequence.evaluateWithMetadata;
    this.#hadOwn = Object.hasOwn(sequence, "evaluateWithMetadata");
    const original = this.#original;
    const probabilities = this.probabilities;
    const recording = function (
      this: LlamaContextSequence,
      tokens: Parameters<EvaluateWithMetadata>[0],
      metadata: Parameters<EvaluateWithMetadata>[1],
      options?: Parameters<EvaluateWithMetadata>[2],
    ) {
      const iterator = original.call(this, tokens, { ...metadata, confidence: true }, options);
      return (async function* () {
        let input: Parameters<typeof iterator.next>[0];
        try {
          for (;;) {
            const { value, done } = await iterator.next(input);
            if (done) return value;
            const confidence = (value as { confidence?: number }).confidence;
            if (typeof confidence === "number") probabilities.push(confidence);
            input = yield value;
          }
        } finally {
          await iterator.return();
        }
      })();
    };
    sequence.evaluateWithMetadata = recording as EvaluateWithMetadata;
  }

  /** Tokens are no longer recorded (the sequence reads as before). */
  detach(): void {
    if (this.#hadOwn) this.#sequence.evaluateWithMetadata = this.#original;
    else delete (this.#sequence as { evaluateWithMetadata?: EvaluateWithMetadata }).evaluateWithMetadata;
  }

  /** Forgets what was recorded (a new stretch of text starts). */
  reset(): void {
    this.probabilities.length = 0;
  }
}

/**
 * A text's confidence from its tokens' probabilities: their geometric mean (the exponent of the mean
 * log-probability: one unsure token among many sure ones lowers it, as it does the text's likelihood).
 * Undefined for no tokens.
 */
export function sequenceConfidence(probabilities: readonly number[]): number | undefined {
  if (probabilities.length === 0) return undefined;
  let logSum = 0;
  for (const probability of probabilities) logSum += Math.log(Math.max(probability, 1e-12));
  return Math.exp(logSum / probabilities.length);
}
