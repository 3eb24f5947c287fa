import { randomUUID } from "node:crypto";
import { summarizeCases } from "./run-suite.ts";
import type { EvalSuite, RunReport } from "./types.ts";

/**
 * One report from runs of one suite over disjoint parts of its cases (a run per category, or per
 * machine): the cases side by side, every metric recomputed over all of them. The parts must have run
 * the same model with the same repeat and seed; a case in two parts is an error.
 */
export function mergeReports(
  suite: Pick<EvalSuite, "name" | "description" | "metrics">,
  parts: RunReport[],
): RunReport {
  const first = parts[0];
  if (!first) throw new Error("Nothing to merge: give at least one report.");
  for (const part of parts) {
    if (part.suite !== suite.name && !part.suite.startsWith(`${suite.name}-`))
      throw new Error(`Report ${part.run_id} is of suite ${part.suite}, not ${suite.name}.`);
    for (const key of ["provider", "model", "repeat", "seed", "tool_routing"] as const) {
      if (part.config[key] !== first.config[key])
        throw new Error(
          `Reports ${first.run_id} and ${part.run_id} differ in ${key} (${first.config[key]} vs ${part.config[key]}).`,
        );
    }
  }
  const seen = new Set<string>();
  const cases = parts.flatMap((part) => part.cases);
  for (const result of cases) {
    const key = `${result.id}#${result.repeat}`;
    if (seen.has(key)) throw new Error(`Case ${result.id} (repeat ${result.repeat}) is in more than one report.`);
    seen.add(key);
  }
  const startedAt = parts.map((part) => part.started_at).sort()[0]!;
  const finishedAt = parts
    .map((part) => part.finished_at)
    .sort()
    .at(-1)!;
  return {
    schema_version: 2,
    run_id: `${suite.name}-merged-${startedAt.replace(/[:.]/g, "-")}-${randomUUID().slice(0, 6)}`,
    suite: suite.name,
    description: suite.description,
    started_at: startedAt,
    finished_at: finishedAt,
    // The parts' own wall times added up: what the cases cost on one machine, however they were spread.
    wall_time_ms: parts.reduce((sum, part) => sum + part.wall_time_ms, 0),
    config: { ...first.config, limit: parts.every((part) => part.config.limit === null) ? null : first.config.limit },
    machine: first.machine,
    judge: first.judge,
    merged_from: parts.map((part) => part.run_id),
    ...summarizeCases(suite, cases, first.config.seed),
  };
}
