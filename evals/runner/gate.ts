import { bootstrapDifference, type Estimate } from "../stats/bootstrap.ts";
import type { CaseResult, MetricDefinition, RunReport } from "./types.ts";

export interface MetricComparison {
  metric: string;
  baseline: number;
  current: number;
  delta: Estimate;
  /** The whole confidence interval of the change lies on the worse side of −tolerance. */
  significant_regression: boolean;
  /** The whole interval lies on the better side of zero. */
  significant_improvement: boolean;
}

export interface GateResult {
  passed: boolean;
  tolerance: number;
  comparisons: MetricComparison[];
}

/**
 * Compares a run with a baseline run of the same suite, metric by metric. A metric regresses
 * significantly when the bootstrap CI of (current − baseline) lies entirely beyond the tolerance on
 * the worse side; noise inside the CIs passes. Metrics computed as statistics (kappa) compare CIs.
 */
export function compareWithBaseline(
  current: RunReport,
  baseline: RunReport,
  definitions: readonly MetricDefinition[],
  options: { tolerance?: number; seed?: number } = {},
): GateResult {
  const tolerance = options.tolerance ?? 0;
  const comparisons: MetricComparison[] = [];
  for (const [name, metric] of Object.entries(current.metrics)) {
    const before = baseline.metrics[name];
    if (!before || !metric.gate) continue;
    const definition = definitions.find((candidate) => candidate.name === name);
    const direction = metric.higher_is_better ? 1 : -1;
    let delta: Estimate;
    if (definition?.of) {
      delta = bootstrapDifference(clusters(current.cases, definition.of), clusters(baseline.cases, definition.of), {
        seed: options.seed ?? 7,
      });
    } else {
      // No per-case values: approximate the change's interval from the two intervals.
      delta = {
        value: metric.value - before.value,
        ci_low: metric.ci_low - before.ci_high,
        ci_high: metric.ci_high - before.ci_low,
        n: metric.n,
      };
    }
    const worse = direction > 0 ? delta.ci_high < -tolerance : delta.ci_low > tolerance;
    const better = direction > 0 ? delta.ci_low > 0 : delta.ci_high < 0;
    comparisons.push({
      metric: name,
      baseline: before.value,
      current: metric.value,
      delta,
      significant_regression: worse,
      significant_improvement: better,
    });
  }
  return { passed: comparisons.every((comparison) => !comparison.significant_regression), tolerance, comparisons };
}

function clusters(cases: readonly CaseResult[], of: NonNullable<MetricDefinition["of"]>): number[][] {
  const byCase = new Map<string, number[]>();
  for (const result of cases) {
    const value = of(result);
    if (value === undefined || Number.isNaN(value)) continue;
    byCase.set(result.id, [...(byCase.get(result.id) ?? []), value]);
  }
  return [...byCase.values()];
}
