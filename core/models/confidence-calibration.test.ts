import { describe, expect, it } from "vitest";
import { calibrateConfidence, fitConfidenceCalibration, summarizeCalibration } from "./confidence-calibration.ts";

/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
function uniform(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe("confidence calibration", () => {
  it("summarizes a reliability diagram: per bin, the mean confidence and the share right; ECE and Brier", () => {
    const samples = [
      { confidence: 0.95, correct: true },
      { confidence: 0.85, correct: false },
      { confidence: 0.9, correct: true },
      { confidence: 0.15, correct: false },
    ];
    const summary = summarizeCalibration(samples, 10);
    expect(summary.bins[9]).toMatchObject({ count: 2, accuracy: 1 });
    expect(summary.bins[9]!.meanConfidence).toBeCloseTo(0.925, 9);
    expect(summary.bins[8]).toMatchObject({ count: 1, accuracy: 0, meanConfidence: 0.85 });
    expect(summary.bins[1]).toMatchObject({ count: 1, accuracy: 0, meanConfidence: 0.15 });
    // ECE = 2/4·|1 − 0.925| + 1/4·|0 − 0.85| + 1/4·|0 − 0.15|
    expect(summary.ece).toBeCloseTo(0.5 * 0.075 + 0.25 * 0.85 + 0.25 * 0.15, 9);
    expect(summary.brier).toBeCloseTo((0.05 ** 2 + 0.85 ** 2 + 0.1 ** 2 + 0.15 ** 2) / 4, 9);
    expect(summarizeCalibration([]).n).toBe(0);
  });

  it("fits Platt scaling that recovers the map the answers were drawn from, and lowers their ECE", () => {
    const random = uniform(7);
    const truth = { slope: 2, intercept: -1.5 };
    const samples = Array.from({ length: 4_000 }, () => {
      const raw = 0.05 + 0.9 * random();
      return { confidence: raw, correct: random() < calibrateConfidence(raw, truth) };
    });
    const fit = fitConfidenceCalibration(samples);
    expect(fit.slope).toBeCloseTo(truth.slope, 0);
    expect(Math.abs(fit.intercept - truth.intercept)).toBeLessThan(0.3);
    const calibrated = samples.map((sample) => ({
      ...sample,
      confidence: calibrateConfidence(sample.confidence, fit),
    }));
    expect(summarizeCalibration(calibrated).ece).toBeLessThan(summarizeCalibration(samples).ece / 2);
  });

  it("keeps the order of answers (a monotone map), and leaves the raw figure without a calibration", () => {
    const fit = { slope: 0.7, intercept: -0.4 };
    const raws = [0.01, 0.2, 0.5, 0.8, 0.99];
    const mapped = raws.map((raw) => calibrateConfidence(raw, fit));
    expect([...mapped].sort((a, b) => a - b)).toEqual(mapped);
    expect(calibrateConfidence(0.37, undefined)).toBe(0.37);
    expect(() => fitConfidenceCalibration([{ confidence: 0.5, correct: true }])).toThrow(/at least two/);
  });

  it("gives finite numbers when the raw confidence separates right from wrong answers perfectly", () => {
    const separated = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9].map((confidence) => ({ confidence, correct: confidence > 0.5 }));
    const fit = fitConfidenceCalibration(separated);
    expect(Number.isFinite(fit.slope) && Number.isFinite(fit.intercept)).toBe(true);
    expect(calibrateConfidence(0.9, fit)).toBeGreaterThan(calibrateConfidence(0.1, fit));
  });
});
