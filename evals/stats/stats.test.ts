import { describe, expect, it } from "vitest";
import { cohensKappa } from "./agreement.ts";
import { bootstrapDifference, bootstrapMean, quantile } from "./bootstrap.ts";
import { seededRandom } from "./random.ts";

const bernoulli = (n: number, p: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => [random() < p ? 1 : 0]);
};

describe("bootstrap", () => {
  it("covers the known mean of a Bernoulli sample, with the width the normal approximation predicts", () => {
    const clusters = bernoulli(400, 0.7, 3);
    const estimate = bootstrapMean(clusters, { seed: 11 });
    const p = estimate.value;
    const standardError = Math.sqrt((p * (1 - p)) / 400);
    expect(estimate.n).toBe(400);
    expect(estimate.ci_low).toBeLessThan(0.7);
    expect(estimate.ci_high).toBeGreaterThan(0.7);
    expect(estimate.ci_high - estimate.ci_low).toBeCloseTo(2 * 1.96 * standardError, 2);
  });

  it("gives a degenerate interval for a constant sample and for one case", () => {
    expect(bootstrapMean([[1], [1], [1]])).toEqual({ value: 1, ci_low: 1, ci_high: 1, n: 3 });
    expect(bootstrapMean([[0.5]])).toEqual({ value: 0.5, ci_low: 0.5, ci_high: 0.5, n: 1 });
  });

  it("resamples whole cases, so repetitions do not shrink the interval", () => {
    const once = bernoulli(100, 0.5, 5);
    const repeated = once.map((cluster) => [cluster[0]!, cluster[0]!, cluster[0]!]);
    const single = bootstrapMean(once, { seed: 1 });
    const triple = bootstrapMean(repeated, { seed: 1 });
    expect(triple.ci_high - triple.ci_low).toBeCloseTo(single.ci_high - single.ci_low, 5);
  });

  it("is reproducible for a seed", () => {
    const clusters = bernoulli(50, 0.4, 9);
    expect(bootstrapMean(clusters, { seed: 2 })).toEqual(bootstrapMean(clusters, { seed: 2 }));
  });

  it("finds a real difference significant and noise not", () => {
    const worse = bootstrapDifference(bernoulli(300, 0.5, 1), bernoulli(300, 0.8, 2));
    expect(worse.ci_high).toBeLessThan(0);
    const same = bootstrapDifference(bernoulli(300, 0.7, 3), bernoulli(300, 0.7, 4));
    expect(same.ci_low).toBeLessThan(0);
    expect(same.ci_high).toBeGreaterThan(0);
  });

  it("interpolates quantiles", () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
  });
});

describe("Cohen's kappa", () => {
  it("is 1 for perfect agreement, 0 for chance agreement, negative for systematic disagreement", () => {
    expect(
      cohensKappa([
        { expected: 1, predicted: 1 },
        { expected: 0, predicted: 0 },
      ]),
    ).toBe(1);
    // A rater that always says "yes" on balanced labels agrees half the time, exactly chance.
    expect(
      cohensKappa([
        { expected: 1, predicted: 1 },
        { expected: 0, predicted: 1 },
      ]),
    ).toBe(0);
    expect(
      cohensKappa([
        { expected: 1, predicted: 0 },
        { expected: 0, predicted: 1 },
      ]),
    ).toBe(-1);
  });

  it("matches a worked example", () => {
    // 50 items: both yes 20, both no 15, rater A yes/B no 5, A no/B yes 10 → po 0.7, pe 0.5, kappa 0.4.
    const pairs = [
      ...Array(20).fill({ expected: "yes", predicted: "yes" }),
      ...Array(15).fill({ expected: "no", predicted: "no" }),
      ...Array(5).fill({ expected: "yes", predicted: "no" }),
      ...Array(10).fill({ expected: "no", predicted: "yes" }),
    ];
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10);
  });
});
