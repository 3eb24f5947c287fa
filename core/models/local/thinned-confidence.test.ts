import { describe, expect, it } from "vitest";
import { LlamaCompletion, type LlamaContextSequence } from "node-llama-cpp";
import { loadLocalModel } from "./local-model.ts";
import { readsConfidence, thinConfidenceSampling } from "./thinned-confidence.ts";
import { TokenConfidenceRecorder } from "./token-confidence.ts";

/** A stand-in for the addon's context: `sampleToken` read-only on its prototype, as a native method is. */
class FakeNativeContext {
  readonly calls: unknown[][] = [];
}
Object.defineProperty(FakeNativeContext.prototype, "sampleToken", {
  value(this: FakeNativeContext, ...args: unknown[]) {
    this.calls.push(args);
    return Promise.resolve(args.length > 2 ? [1, undefined, 0.5] : 1);
  },
  writable: false,
});

const sequenceOn = (native: object) => ({ context: { _ctx: native } }) as unknown as LlamaContextSequence;

describe("reading only some tokens' probabilities", () => {
  it("reads a generation's first tokens, then one in `stride`", () => {
    const read = Array.from({ length: 14 }, (_, index) => index).filter((index) =>
      readsConfidence(index, { head: 4, stride: 4 }),
    );
    expect(read).toEqual([0, 1, 2, 3, 4, 8, 12]);
    expect(readsConfidence(5, { head: 0, stride: 1 })).toBe(true);
  });

  it("counts per sampler, leaves other calls alone, and installs itself once per context", async () => {
    const native = new FakeNativeContext();
    const sample = (...args: unknown[]) =>
      (native as unknown as { sampleToken(...a: unknown[]): Promise<unknown> }).sampleToken(...args);
    expect(thinConfidenceSampling(sequenceOn(native), { head: 1, stride: 2 })).toBe(true);
    expect(thinConfidenceSampling(sequenceOn(native), { head: 1, stride: 2 })).toBe(true);
    const first = {};
    const second = {};
    for (let index = 0; index < 4; index++) await sample(0, first, false, true);
    await sample(0, second, false, true);
    await sample(0, first, true, true); // probabilities asked: always passed on as asked
    await sample(0, first); // plain generation
    expect(native.calls).toEqual([
      [0, first, false, true],
      [0, first, false, true],
      [0, first, false, false],
      [0, first, false, true],
      [0, second, false, true],
      [0, first, true, true],
      [0, first],
    ]);
  });

  it("does nothing where the context has no native sampling call", () => {
    expect(thinConfidenceSampling(sequenceOn({}))).toBe(false);
    expect(thinConfidenceSampling({ context: undefined } as unknown as LlamaContextSequence)).toBe(false);
  });

  // Integration: the real SmolLM2-135M and the installed node-llama-cpp, whose internals this relies on.
  it("thins what a recorder reads on the installed node-llama-cpp, and generates the same text", async () => {
    const loaded = await loadLocalModel({ sequences: 1, contextTokens: 512 });
    try {
      const generate = async (thin: boolean) => {
        const lease = await loaded.acquireSequence();
        const sequence = lease.sequence;
        await sequence.clearHistory();
        if (thin) expect(thinConfidenceSampling(sequence, { head: 4, stride: 4 })).toBe(true);
        const recorder = new TokenConfidenceRecorder(sequence);
        const completion = new LlamaCompletion({ contextSequence: sequence });
        try {
          const { response, metadata } = await completion.generateCompletionWithMeta("The sea is", {
            maxTokens: 24,
            temperature: 0,
          });
          return { response, tokens: metadata.stopReason === "maxTokens" ? 24 : -1, read: recorder.probabilities };
        } finally {
          recorder.detach();
          completion.dispose();
          lease.release();
        }
      };
      const every = await generate(false);
      const thinned = await generate(true);
      expect(every.tokens).toBe(24);
      expect(every.read).toHaveLength(24);
      expect(thinned.response).toBe(every.response);
      // Tokens 0–3, then 4, 8, 12, 16, 20: the same probabilities where both read.
      expect(thinned.read).toEqual([0, 1, 2, 3, 4, 8, 12, 16, 20].map((index) => every.read[index]));
    } finally {
      await loaded.dispose();
    }
  });
});
