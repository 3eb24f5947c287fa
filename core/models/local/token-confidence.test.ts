import { describe, expect, it } from "vitest";
import type { LlamaContextSequence } from "node-llama-cpp";
import { sequenceConfidence, TokenConfidenceRecorder } from "./token-confidence.ts";

/** A stand-in for node-llama-cpp's sequence: evaluateWithMetadata on its prototype, as there. */
class FakeSequence {
  closed = 0;
  lastMetadata: unknown;
  async *evaluateWithMetadata(tokens: number[], metadata: { confidence?: boolean }) {
    this.lastMetadata = metadata;
    try {
      for (const [index, token] of tokens.entries())
        yield { token, ...(metadata.confidence ? { confidence: 0.5 + index / 10 } : {}) };
    } finally {
      this.closed++;
    }
  }
}

describe("recording the probability of each sampled token", () => {
  it("asks for each token's confidence while attached, and leaves the sequence as it was once detached", async () => {
    const sequence = new FakeSequence();
    const recorder = new TokenConfidenceRecorder(sequence as unknown as LlamaContextSequence);
    expect(Object.hasOwn(sequence, "evaluateWithMetadata")).toBe(true);
    const seen: number[] = [];
    for await (const output of sequence.evaluateWithMetadata([7, 8, 9], {})) seen.push(output.token);
    expect(seen).toEqual([7, 8, 9]);
    expect(sequence.lastMetadata).toEqual({ confidence: true });
    expect(recorder.probabilities).toEqual([0.5, 0.6, 0.7]);
    recorder.detach();
    expect(Object.hasOwn(sequence, "evaluateWithMetadata")).toBe(false);
    for await (const _output of sequence.evaluateWithMetadata([1], {})) {
      /* read as before */
    }
    expect(sequence.lastMetadata).toEqual({});
    expect(recorder.probabilities).toHaveLength(3);
  });

  it("closes the sequence's own iterator when the reader stops early", async () => {
    const sequence = new FakeSequence();
    const recorder = new TokenConfidenceRecorder(sequence as unknown as LlamaContextSequence);
    for await (const output of sequence.evaluateWithMetadata([1, 2, 3, 4], {})) if (output.token === 2) break;
    expect(sequence.closed).toBe(1);
    expect(recorder.probabilities).toEqual([0.5, 0.6]);
    recorder.detach();
  });

  it("reads a text's confidence as the geometric mean of its tokens' probabilities", () => {
    expect(sequenceConfidence([])).toBeUndefined();
    expect(sequenceConfidence([0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(sequenceConfidence([1, 0.25])).toBeCloseTo(0.5, 12);
    // One unsure token among sure ones lowers it more than the mean would.
    expect(sequenceConfidence([0.99, 0.99, 0.99, 0.01])!).toBeLessThan(0.32);
  });
});
