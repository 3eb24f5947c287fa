import { quantile } from "../stats/bootstrap.ts";
import type { Percentiles } from "./types.ts";

const histogramBounds = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, Number.POSITIVE_INFINITY];

export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    histogram: histogramBounds.map((upper, index) => ({
      upper_ms: upper,
      count: sorted.filter(
        (value) => value <= upper && value > (histogramBounds[index - 1] ?? Number.NEGATIVE_INFINITY),
      ).length,
    })),
  };
}
