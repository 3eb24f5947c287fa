import type { ToolDecision } from "realtime-agent";
import { bootstrapMean, type Estimate } from "../../stats/bootstrap.ts";
import type { ToolUseCase } from "./dataset.ts";

/** What a router decided for one case. */
export interface RoutedCase {
  testCase: ToolUseCase;
  decision: ToolDecision;
  /** Offered tools, best first. */
  offered: string[];
}

/**
 * Per-case values of the router metrics; undefined where a metric does not apply to the case.
 * - tool_recall: share of the needed tools that were offered (cases needing tools).
 * - all_tools_offered: every needed tool offered (cases needing tools).
 * - call_kept: the decision is not `none` (cases needing tools; the router must not suppress them).
 * - no_tool_accuracy: the decision is `none` (plain chat).
 * - require_precision: a call was needed and the best offered tool is a needed one (cases decided `require`).
 * - require_rate: the decision is `require` (cases needing tools).
 * - offered_count: how many tools were offered (every case).
 */
export function routerValues(routed: RoutedCase): Record<string, number | undefined> {
  const needed = [...new Set(routed.testCase.expected.map((call) => call.tool))];
  const needsTool = needed.length > 0;
  const offeredNeeded = needed.filter((name) => routed.offered.includes(name)).length;
  const offers = routed.decision !== "none";
  return {
    tool_recall: needsTool ? (offers ? offeredNeeded / needed.length : 0) : undefined,
    all_tools_offered: needsTool ? Number(offers && offeredNeeded === needed.length) : undefined,
    call_kept: needsTool ? Number(offers) : undefined,
    no_tool_accuracy: needsTool ? undefined : Number(!offers),
    require_precision:
      routed.decision === "require" ? Number(needsTool && needed.includes(routed.offered[0] ?? "")) : undefined,
    require_rate: needsTool ? Number(routed.decision === "require") : undefined,
    offered_count: offers ? routed.offered.length : 0,
  };
}

export const routerMetricNames = [
  "tool_recall",
  "all_tools_offered",
  "call_kept",
  "no_tool_accuracy",
  "require_precision",
  "require_rate",
  "offered_count",
] as const;

/** Mean and 95% bootstrap CI of every router metric over the cases (each case is one cluster). */
export function estimateRouterMetrics(routed: readonly RoutedCase[], seed = 1): Record<string, Estimate> {
  const values = routed.map(routerValues);
  return Object.fromEntries(
    routerMetricNames.map((name) => [
      name,
      bootstrapMean(
        values.flatMap((row) => (row[name] === undefined ? [] : [[row[name]!]])),
        { seed },
      ),
    ]),
  );
}

/** Plain means of the router metrics (no resampling: fast enough to run inside a grid search). */
export function meanRouterMetrics(routed: readonly RoutedCase[]): Record<(typeof routerMetricNames)[number], number> {
  const sums = Object.fromEntries(routerMetricNames.map((name) => [name, { total: 0, count: 0 }]));
  for (const item of routed) {
    for (const [name, value] of Object.entries(routerValues(item))) {
      if (value === undefined) continue;
      sums[name]!.total += value;
      sums[name]!.count += 1;
    }
  }
  return Object.fromEntries(
    routerMetricNames.map((name) => [name, sums[name]!.count ? sums[name]!.total / sums[name]!.count : Number.NaN]),
  ) as Record<(typeof routerMetricNames)[number], number>;
}

/**
 * The objective tuned on dev: needed tools offered and plain chat left alone count alike; a wrong
 * `require` forces a wrong call, so `require` precision under 0.95 costs four times its shortfall;
 * among equals, more `require` decisions win.
 */
export function tuningObjective(routed: readonly RoutedCase[]): number {
  const metrics = meanRouterMetrics(routed);
  const precision = Number.isNaN(metrics.require_precision) ? 1 : metrics.require_precision;
  return (
    (metrics.tool_recall + metrics.no_tool_accuracy) / 2 -
    Math.max(0, 0.95 - precision) * 4 +
    metrics.require_rate * 0.05
  );
}
