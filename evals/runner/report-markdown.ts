import type { GateResult } from "./gate.ts";
import type { MetricReport, RunReport } from "./types.ts";

export function formatMetric(metric: MetricReport): string {
  const digits = metric.unit === "ms" ? 0 : metric.unit === "tokens" ? 1 : metric.unit === "usd" ? 6 : 3;
  const show = (value: number) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
  return `${show(metric.value)} [${show(metric.ci_low)}, ${show(metric.ci_high)}]`;
}

export function judgeLine(report: RunReport): string {
  if (!report.judge) return "";
  const calibration = report.judge.calibration;
  const figures = calibration
    ? `calibration (${calibration.items} labelled answers, ${calibration.measured_at.slice(0, 10)}): accuracy ${calibration.accuracy.value.toFixed(3)}, kappa ${calibration.kappa.value.toFixed(3)}, position bias ${calibration.position_bias.value.toFixed(3)}`
    : "not calibrated yet (run `rta eval judge-calibration`)";
  return `Judge: ${report.judge.provider}/${report.judge.model}, ${figures}.`;
}

/** The run in a few lines of markdown: metrics with 95% CIs, per-category table, latency, gate. */
export function renderMarkdown(report: RunReport, gate?: GateResult): string {
  const lines = [
    `# ${report.suite} — ${report.config.provider}/${report.config.model}`,
    "",
    `${report.started_at} · ${report.cases.length} case runs (repeat ${report.config.repeat}${report.config.limit ? `, limit ${report.config.limit}` : ""}) · wall time ${(report.wall_time_ms / 1000).toFixed(1)} s · ${report.machine.cores} cores, ${report.machine.cpu_model} · target ${report.config.target} · tool routing ${report.config.tool_routing ?? "off"}`,
    "",
    "| metric | value [95% CI] | n |",
    "| --- | --- | --- |",
    ...Object.entries(report.metrics).map(([name, metric]) => `| ${name} | ${formatMetric(metric)} | ${metric.n} |`),
  ];
  const categories = Object.keys(report.breakdown);
  const breakdownMetrics = [...new Set(categories.flatMap((category) => Object.keys(report.breakdown[category]!)))];
  if (categories.length > 1 && breakdownMetrics.length > 0) {
    lines.push(
      "",
      `| category | ${breakdownMetrics.join(" | ")} |`,
      `| --- |${" --- |".repeat(breakdownMetrics.length)}`,
    );
    for (const category of categories) {
      const row = breakdownMetrics.map((name) => {
        const metric = report.breakdown[category]![name];
        return metric ? `${formatMetric(metric)} (n=${metric.n})` : "–";
      });
      lines.push(`| ${category} | ${row.join(" | ")} |`);
    }
  }
  const timeToFirstToken = report.latency.time_to_first_token_ms;
  lines.push(
    "",
    `Latency per case: total p50 ${report.latency.total_ms.p50.toFixed(0)} ms, p90 ${report.latency.total_ms.p90.toFixed(0)} ms${timeToFirstToken ? `; time to first token p50 ${timeToFirstToken.p50.toFixed(0)} ms, p90 ${timeToFirstToken.p90.toFixed(0)} ms` : ""}.`,
  );
  if (report.calibration) lines.push("", ...calibrationLines(report.calibration));
  const errors = report.cases.filter((result) => result.error).length;
  if (errors) lines.push("", `${errors} case run(s) ended in an error (counted as failures).`);
  if (report.judge) lines.push("", judgeLine(report));
  if (gate) {
    lines.push(
      "",
      `## Baseline gate: ${gate.passed ? "passed" : "FAILED"} (tolerance ${gate.tolerance})`,
      "",
      "| metric | baseline | current | change [95% CI] | verdict |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const comparison of gate.comparisons) {
      const verdict = comparison.significant_regression
        ? "significant regression"
        : comparison.significant_improvement
          ? "significant improvement"
          : "within noise";
      lines.push(
        `| ${comparison.metric} | ${comparison.baseline.toFixed(3)} | ${comparison.current.toFixed(3)} | ${comparison.delta.value.toFixed(3)} [${comparison.delta.ci_low.toFixed(3)}, ${comparison.delta.ci_high.toFixed(3)}] | ${verdict} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The reliability diagram as a table: per confidence bin, how many answers and how many were right. */
export function calibrationLines(calibration: NonNullable<RunReport["calibration"]>): string[] {
  const bins = calibration.bins.filter((bin) => bin.count > 0);
  return [
    `## Confidence calibration (against \`${calibration.score}\`)`,
    "",
    `${calibration.n} answers with a confidence (${calibration.without_confidence} without): expected calibration error ${calibration.ece.toFixed(3)}, Brier score ${calibration.brier.toFixed(3)}.`,
    "",
    "| confidence | answers | mean confidence | right |",
    "| --- | --- | --- | --- |",
    ...bins.map(
      (bin) =>
        `| ${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)} | ${bin.count} | ${bin.mean_confidence.toFixed(3)} | ${bin.accuracy.toFixed(3)} |`,
    ),
  ];
}
