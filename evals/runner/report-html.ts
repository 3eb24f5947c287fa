import type { GateResult } from "./gate.ts";
import { formatMetric, judgeLine } from "./report-markdown.ts";
import type { MetricReport, RunReport } from "./types.ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Horizontal bars with 95% CI whiskers, on a 0–1 scale (kappa and bias on −1–1). */
function intervalChart(rows: { label: string; metric: MetricReport }[]): string {
  const rowHeight = 26;
  const width = 720;
  const labelWidth = 230;
  const plot = width - labelWidth - 90;
  const signed = rows.some((row) => row.metric.unit === "kappa" || row.metric.value < 0 || row.metric.ci_low < 0);
  const x = (value: number) =>
    labelWidth + (signed ? (Math.max(-1, Math.min(1, value)) + 1) / 2 : Math.max(0, Math.min(1, value))) * plot;
  const bars = rows.map((row, index) => {
    const y = index * rowHeight + 10;
    const zero = x(0);
    const end = x(row.metric.value);
    return `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(row.label)}</text>
<rect x="${Math.min(zero, end)}" y="${y + 3}" width="${Math.abs(end - zero)}" height="16" fill="#4f7cff" opacity="0.75"/>
<line x1="${x(row.metric.ci_low)}" x2="${x(row.metric.ci_high)}" y1="${y + 11}" y2="${y + 11}" stroke="#111" stroke-width="2"/>
<line x1="${x(row.metric.ci_low)}" x2="${x(row.metric.ci_low)}" y1="${y + 5}" y2="${y + 17}" stroke="#111"/>
<line x1="${x(row.metric.ci_high)}" x2="${x(row.metric.ci_high)}" y1="${y + 5}" y2="${y + 17}" stroke="#111"/>
<text x="${width - 84}" y="${y + 14}">${row.metric.value.toFixed(3)} (n=${row.metric.n})</text>`;
  });
  const height = rows.length * rowHeight + 30;
  const axis = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1]).map(
    (tick) =>
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="5" y2="${height - 18}" stroke="#ddd"/><text x="${x(tick)}" y="${height - 4}" text-anchor="middle" class="tick">${tick}</text>`,
  );
  return `<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${axis.join("")}${bars.join("")}</svg>`;
}

function histogramChart(histogram: RunReport["latency"]["total_ms"]["histogram"], title: string): string {
  const width = 720;
  const height = 180;
  const max = Math.max(1, ...histogram.map((bucket) => bucket.count));
  const barWidth = (width - 40) / Math.max(1, histogram.length);
  const bars = histogram.map((bucket, index) => {
    const barHeight = (bucket.count / max) * (height - 50);
    const xPosition = 20 + index * barWidth;
    const label =
      bucket.upper_ms === null || !Number.isFinite(bucket.upper_ms)
        ? "more"
        : `≤${bucket.upper_ms >= 1000 ? `${bucket.upper_ms / 1000}s` : `${bucket.upper_ms}ms`}`;
    return `<rect x="${xPosition + 2}" y="${height - 30 - barHeight}" width="${barWidth - 4}" height="${barHeight}" fill="#f59e0b"/>
<text x="${xPosition + barWidth / 2}" y="${height - 16}" text-anchor="middle" class="tick">${label}</text>
<text x="${xPosition + barWidth / 2}" y="${height - 34 - barHeight}" text-anchor="middle" class="tick">${bucket.count || ""}</text>`;
  });
  return `<h3>${escapeHtml(title)}</h3><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${bars.join("")}</svg>`;
}

/** The reliability diagram: each bin's share of right answers against its mean confidence, and the diagonal. */
function calibrationChart(calibration: NonNullable<RunReport["calibration"]>): string {
  const size = 320;
  const pad = 36;
  const plot = size - 2 * pad;
  const x = (value: number) => pad + value * plot;
  const y = (value: number) => size - pad - value * plot;
  const most = Math.max(1, ...calibration.bins.map((bin) => bin.count));
  const bars = calibration.bins
    .filter((bin) => bin.count > 0)
    .map(
      (bin) =>
        `<rect x="${x(bin.lower) + 2}" y="${y(bin.accuracy)}" width="${plot / calibration.bins.length - 4}" height="${y(0) - y(bin.accuracy)}" fill="#4f7cff" opacity="${0.3 + (0.6 * bin.count) / most}"><title>${bin.count} answers, mean confidence ${bin.mean_confidence.toFixed(3)}, right ${bin.accuracy.toFixed(3)}</title></rect>`,
    );
  const ticks = [0, 0.5, 1].map(
    (tick) =>
      `<text x="${x(tick)}" y="${size - pad + 16}" text-anchor="middle" class="tick">${tick}</text><text x="${pad - 6}" y="${y(tick) + 4}" text-anchor="end" class="tick">${tick}</text>`,
  );
  return `<h2>Confidence calibration</h2><p>${calibration.n} answers with a confidence (${calibration.without_confidence} without), against <code>${escapeHtml(calibration.score)}</code>: expected calibration error ${calibration.ece.toFixed(3)}, Brier score ${calibration.brier.toFixed(3)}. Bars: share right per confidence bin (darker: more answers); line: perfect calibration.</p>
<svg viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img"><rect x="${pad}" y="${pad}" width="${plot}" height="${plot}" fill="none" stroke="#ddd"/>${bars.join("")}<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#111" stroke-dasharray="4 3"/>${ticks.join("")}<text x="${size / 2}" y="${size - 4}" text-anchor="middle" class="tick">confidence</text></svg>`;
}

/** A self-contained HTML report: no scripts or assets from anywhere else. */
export function renderHtml(report: RunReport, gate?: GateResult): string {
  const quality = Object.entries(report.metrics).filter(([, metric]) =>
    ["ratio", "kappa", "score"].includes(metric.unit),
  );
  const other = Object.entries(report.metrics).filter(
    ([, metric]) => !["ratio", "kappa", "score"].includes(metric.unit),
  );
  const categories = Object.keys(report.breakdown);
  const breakdownCharts = [...new Set(categories.flatMap((category) => Object.keys(report.breakdown[category]!)))].map(
    (name) => {
      const rows = categories.flatMap((category) =>
        report.breakdown[category]![name] ? [{ label: category, metric: report.breakdown[category]![name]! }] : [],
      );
      return `<h3>${escapeHtml(name)} by category</h3>${intervalChart(rows)}`;
    },
  );
  const caseRows = report.cases.map((result) => {
    const passed = !result.error && Object.values(result.scores).every((score) => score.pass);
    const reasons = result.error
      ? `error ${escapeHtml(result.error.code)}: ${escapeHtml(result.error.message)}`
      : Object.entries(result.scores)
          .map(([name, score]) => `<b>${escapeHtml(name)}</b> ${score.pass ? "✓" : "✗"} ${escapeHtml(score.reason)}`)
          .join("<br>");
    return `<tr class="${passed ? "pass" : "fail"}"><td>${escapeHtml(result.id)}${result.repeat ? ` #${result.repeat}` : ""}</td><td>${escapeHtml(result.category)}</td><td>${passed ? "pass" : "fail"}</td><td><pre>${escapeHtml(result.input)}</pre></td><td><pre>${escapeHtml(result.output)}</pre></td><td><pre>${escapeHtml(result.expected)}</pre></td><td>${reasons}</td><td>${Math.round(result.total_ms)} ms</td></tr>`;
  });
  const gateSection = gate
    ? `<h2>Baseline gate: ${gate.passed ? "passed" : "FAILED"}</h2><table><tr><th>metric</th><th>baseline</th><th>current</th><th>change [95% CI]</th><th>verdict</th></tr>${gate.comparisons.map((comparison) => `<tr class="${comparison.significant_regression ? "fail" : "pass"}"><td>${escapeHtml(comparison.metric)}</td><td>${comparison.baseline.toFixed(3)}</td><td>${comparison.current.toFixed(3)}</td><td>${comparison.delta.value.toFixed(3)} [${comparison.delta.ci_low.toFixed(3)}, ${comparison.delta.ci_high.toFixed(3)}]</td><td>${comparison.significant_regression ? "significant regression" : comparison.significant_improvement ? "significant improvement" : "within noise"}</td></tr>`).join("")}</table>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.suite)} — eval report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#111}
svg text{font-size:12px;font-family:system-ui,sans-serif} svg .tick{font-size:10px;fill:#555}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{border:1px solid #ddd;padding:4px 6px;vertical-align:top;text-align:left}
tr.fail td:nth-child(3){color:#b91c1c;font-weight:600} tr.pass td:nth-child(3){color:#15803d}
pre{white-space:pre-wrap;margin:0;max-width:320px;max-height:160px;overflow:auto;font-size:12px}
.meta{color:#444}
</style></head><body>
<h1>${escapeHtml(report.suite)}</h1>
<p class="meta">${escapeHtml(report.description)}<br>${escapeHtml(report.config.provider)}/${escapeHtml(report.config.model)} · target ${escapeHtml(report.config.target)} · ${report.cases.length} case runs · repeat ${report.config.repeat} · seed ${report.config.seed} · wall time ${(report.wall_time_ms / 1000).toFixed(1)} s · ${report.machine.cores} cores, ${escapeHtml(report.machine.cpu_model)}, Node ${escapeHtml(report.machine.node)} · ${escapeHtml(report.started_at)}</p>
${report.judge ? `<p class="meta">${escapeHtml(judgeLine(report))}</p>` : ""}
<h2>Scores with 95% bootstrap confidence intervals</h2>
${quality.length ? intervalChart(quality.map(([name, metric]) => ({ label: name, metric }))) : "<p>No quality metrics.</p>"}
<table><tr><th>metric</th><th>value [95% CI]</th><th>n</th><th>meaning</th></tr>${[...quality, ...other].map(([name, metric]) => `<tr><td>${escapeHtml(name)}</td><td>${formatMetric(metric)}</td><td>${metric.n}</td><td>${escapeHtml(metric.description)}</td></tr>`).join("")}</table>
${breakdownCharts.length && categories.length > 1 ? `<h2>Per category</h2>${breakdownCharts.join("")}` : ""}
${report.calibration ? calibrationChart(report.calibration) : ""}
<h2>Latency</h2>
${histogramChart(report.latency.total_ms.histogram, "Total time per case")}
${report.latency.time_to_first_token_ms ? histogramChart(report.latency.time_to_first_token_ms.histogram, "Time to first token") : ""}
${gateSection}
<h2>Cases</h2>
<table><tr><th>id</th><th>category</th><th>result</th><th>input</th><th>output</th><th>expected</th><th>scorer's reason</th><th>time</th></tr>${caseRows.join("")}</table>
</body></html>
`;
}
