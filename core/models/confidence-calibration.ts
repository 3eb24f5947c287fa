/**
 * Turning a model's raw confidence (the geometric mean of its token probabilities) into the chance its
 * answer is right, fitted on eval results: Platt scaling on the raw confidence's log-odds,
 * p = 1 / (1 + exp(-(slope · logit(raw) + intercept))). Two numbers per model: a monotone map that
 * keeps the ranking of answers and moves their level to what the evals measured.
 */
export interface ConfidenceCalibration {
  slope: number;
  intercept: number;
  /** What it was fitted on (a suite and split, the number of answers), for people reading the file. */
  fittedOn?: string;
}

const epsilon = 1e-6;

function logit(probability: number): number {
  const clamped = Math.min(1 - epsilon, Math.max(epsilon, probability));
  return Math.log(clamped / (1 - clamped));
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

export function calibrateConfidence(raw: number, calibration: ConfidenceCalibration | undefined): number {
  if (!calibration) return raw;
  return sigmoid(calibration.slope * logit(raw) + calibration.intercept);
}

/**
 * Fits Platt scaling by logistic regression (Newton's method, a small ridge on the slope and the
 * intercept so that a set the raw confidence separates perfectly still gives finite numbers).
 */
export function fitConfidenceCalibration(
  samples: readonly { confidence: number; correct: boolean }[],
  options: { ridge?: number; iterations?: number } = {},
): ConfidenceCalibration {
  if (samples.length < 2) throw new Error("Calibration needs at least two answers.");
  const ridge = options.ridge ?? 1e-3;
  const xs = samples.map((sample) => logit(sample.confidence));
  const ys = samples.map((sample) => (sample.correct ? 1 : 0));
  let slope = 1;
  let intercept = 0;
  for (let iteration = 0; iteration < (options.iterations ?? 50); iteration++) {
    // Gradient and Hessian of the negative log-likelihood plus ridge.
    let gSlope = ridge * (slope - 1);
    let gIntercept = ridge * intercept;
    let hSS = ridge;
    let hSI = 0;
    let hII = ridge;
    for (let index = 0; index < xs.length; index++) {
      const x = xs[index]!;
      const p = sigmoid(slope * x + intercept);
      const error = p - ys[index]!;
      const weight = p * (1 - p);
      gSlope += error * x;
      gIntercept += error;
      hSS += weight * x * x;
      hSI += weight * x;
      hII += weight;
    }
    const determinant = hSS * hII - hSI * hSI;
    if (!(Math.abs(determinant) > 1e-12)) break;
    const stepSlope = (hII * gSlope - hSI * gIntercept) / determinant;
    const stepIntercept = (hSS * gIntercept - hSI * gSlope) / determinant;
    slope -= stepSlope;
    intercept -= stepIntercept;
    if (Math.abs(stepSlope) + Math.abs(stepIntercept) < 1e-9) break;
  }
  return { slope, intercept };
}

/** One bin of a reliability diagram: answers whose confidence fell in [lower, upper). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface CalibrationSummary {
  bins: CalibrationBin[];
  /** Expected calibration error: |accuracy − confidence| per bin, weighted by the bin's share of answers. */
  ece: number;
  /** Mean squared error of the confidence as a forecast of correctness. */
  brier: number;
  n: number;
}

/** The reliability diagram (equal-width bins), ECE and Brier score of confidences against correctness. */
export function summarizeCalibration(
  samples: readonly { confidence: number; correct: boolean }[],
  binCount = 10,
): CalibrationSummary {
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, index) => ({
    lower: index / binCount,
    upper: (index + 1) / binCount,
    count: 0,
    meanConfidence: 0,
    accuracy: 0,
  }));
  let brier = 0;
  for (const { confidence, correct } of samples) {
    const bin = bins[Math.min(binCount - 1, Math.floor(confidence * binCount))]!;
    bin.count++;
    bin.meanConfidence += confidence;
    bin.accuracy += correct ? 1 : 0;
    brier += (confidence - (correct ? 1 : 0)) ** 2;
  }
  let ece = 0;
  for (const bin of bins) {
    if (bin.count === 0) continue;
    bin.meanConfidence /= bin.count;
    bin.accuracy /= bin.count;
    ece += (bin.count / samples.length) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  return {
    bins,
    ece: samples.length ? ece : Number.NaN,
    brier: samples.length ? brier / samples.length : Number.NaN,
    n: samples.length,
  };
}
