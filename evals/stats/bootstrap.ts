import { seededRandom } from "./random.ts";

export interface Estimate {
  value: number;
  ci_low: number;
  ci_high: number;
  n: number;
}

export interface BootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
}

/**
 * Percentile bootstrap over clusters: each resample draws whole clusters (a case with all its
 * repetitions) with replacement and recomputes the statistic on their members.
 */
export function bootstrapStatistic<T>(
  clusters: readonly (readonly T[])[],
  statistic: (items: readonly T[]) => number,
  options: BootstrapOptions = {},
): Estimate {
  const items = clusters.flat();
  const n = clusters.length;
  const value = items.length > 0 ? statistic(items) : Number.NaN;
  if (n < 2 || !Number.isFinite(value)) return { value, ci_low: value, ci_high: value, n };
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const values: number[] = [];
  for (let round = 0; round < resamples; round++) {
    const sample: T[] = [];
    for (let draw = 0; draw < n; draw++) sample.push(...clusters[Math.floor(random() * n)]!);
    const estimate = statistic(sample);
    if (Number.isFinite(estimate)) values.push(estimate);
  }
  values.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { value, ci_low: quantile(values, tail), ci_high: quantile(values, 1 - tail), n };
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Bootstrap of a mean over clusters of numbers. */
export function bootstrapMean(clusters: readonly (readonly number[])[], options?: BootstrapOptions): Estimate {
  return bootstrapStatistic(clusters, mean, options);
}

/**
 * Bootstrap CI of `mean(current) - mean(baseline)`, resampling each side independently. Used by the
 * baseline gate: a regression is significant when the whole interval lies below zero.
 */
export function bootstrapDifference(
  current: readonly (readonly number[])[],
  baseline: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): Estimate {
  const value = mean(current.flat()) - mean(baseline.flat());
  const resamples = options.resamples ?? 2000;
  const random = seededRandom(options.seed ?? 7);
  const draw = (clusters: readonly (readonly number[])[]) => {
    const sample: number[] = [];
    for (let index = 0; index < clusters.length; index++)
      sample.push(...clusters[Math.floor(random() * clusters.length)]!);
    return mean(sample);
  };
  const values: number[] = [];
  if (current.length > 0 && baseline.length > 0) {
    for (let round = 0; round < resamples; round++) values.push(draw(current) - draw(baseline));
  }
  values.sort((a, b) => a - b);
  const tail = (1 - (options.confidence ?? 0.95)) / 2;
  return {
    value,
    ci_low: values.length ? quantile(values, tail) : value,
    ci_high: values.length ? quantile(values, 1 - tail) : value,
    n: current.length,
  };
}

/** Linear-interpolated quantile of sorted values. */
export function quantile(sorted: readonly number[], probability: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * probability;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
