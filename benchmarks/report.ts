import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { BenchmarkResult } from "./bench-types.ts";
import { machineInfo, type MachineInfo } from "./machine-info.ts";

/** report.json of `rta bench`. Version 2 spells the machine fields in snake_case like the rest. */
export interface BenchReport {
  schema_version: 2;
  kind: "bench";
  machine: MachineInfo;
  quick: boolean;
  benchmarks: BenchmarkResult[];
  comparison?: BenchComparison[];
}

export interface BenchComparison {
  name: string;
  baseline_p50: number;
  current_p50: number;
  /** current / baseline of the median; below 1 is faster. */
  ratio: number;
  /** The ratio's spread from the two runs' p95/p50 spreads: [best case, worst case]. */
  ratio_range: [number, number];
}

export function buildBenchReport(results: BenchmarkResult[], quick: boolean): BenchReport {
  return { schema_version: 2, kind: "bench", machine: machineInfo(), quick, benchmarks: results };
}

/** What a comparison needs of a baseline: every report.json version has these per benchmark. */
export interface BenchBaseline {
  benchmarks: readonly Pick<BenchmarkResult, "name" | "p50" | "p95" | "min">[];
}

const baselineSchema = z.object({
  kind: z.literal("bench"),
  benchmarks: z.array(z.object({ name: z.string(), p50: z.number(), p95: z.number(), min: z.number() })),
});

/** Reads an earlier `rta bench` report.json (schema version 1 or 2) as a baseline. */
export function readBenchBaseline(path: string): BenchBaseline {
  const parsed = baselineSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`${path} is not a benchmark report: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Ratios of medians, with a range from each run's spread (p50 against the other's p95 and min). */
export function compareBench(current: BenchReport, baseline: BenchBaseline): BenchComparison[] {
  return current.benchmarks.flatMap((result) => {
    const before = baseline.benchmarks.find((candidate) => candidate.name === result.name);
    if (!before || before.p50 <= 0) return [];
    return [
      {
        name: result.name,
        baseline_p50: before.p50,
        current_p50: result.p50,
        ratio: result.p50 / before.p50,
        ratio_range: [Math.max(result.min, 0) / before.p95, result.p95 / Math.max(before.min, Number.EPSILON)] as [
          number,
          number,
        ],
      },
    ];
  });
}

export function format(ms: number): string {
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(ms >= 0.01 ? 1 : 2)} µs`;
}

export function renderBenchMarkdown(report: BenchReport): string {
  const lines = [
    `# Benchmarks${report.quick ? " (quick)" : ""}`,
    "",
    `${report.machine.date} · ${report.machine.cores} cores · ${report.machine.cpu_model} · ${report.machine.memory_gib} GiB · Node ${report.machine.node} · ${report.machine.platform}`,
    "",
    "| benchmark | unit | p50 | p95 | p99 | mean | ops/s | samples | derived |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.benchmarks.map(
      (result) =>
        `| ${result.name} | ${result.unit} | ${format(result.p50)} | ${format(result.p95)} | ${format(result.p99)} | ${format(result.mean)} | ${result.ops_per_s.toFixed(result.ops_per_s >= 100 ? 0 : 2)} | ${result.samples} | ${Object.entries(
          result.derived ?? {},
        )
          .map(([key, value]) => `${key} ${value.toFixed(1)}`)
          .join(", ")} |`,
    ),
  ];
  if (report.comparison?.length) {
    lines.push(
      "",
      "## Against the baseline (current p50 / baseline p50; below 1 is faster)",
      "",
      "| benchmark | baseline p50 | current p50 | ratio | range |",
      "| --- | --- | --- | --- | --- |",
    );
    for (const comparison of report.comparison) {
      lines.push(
        `| ${comparison.name} | ${format(comparison.baseline_p50)} | ${format(comparison.current_p50)} | ${comparison.ratio.toFixed(2)} | ${comparison.ratio_range[0].toFixed(2)}–${comparison.ratio_range[1].toFixed(2)} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** One bar per benchmark on a log scale, p50 with a whisker to p99. */
export function renderBenchHtml(report: BenchReport): string {
  const width = 900;
  const rowHeight = 24;
  const left = 260;
  const values = report.benchmarks.flatMap((result) => [result.p50, result.p99]).filter((value) => value > 0);
  const low = Math.log10(Math.min(...values, 0.001));
  const high = Math.log10(Math.max(...values, 1));
  const x = (value: number) =>
    left + ((Math.log10(Math.max(value, 10 ** low)) - low) / Math.max(high - low, 1e-9)) * (width - left - 120);
  const rows = report.benchmarks.map((result, index) => {
    const y = 20 + index * rowHeight;
    return `<text x="${left - 8}" y="${y + 12}" text-anchor="end">${result.name}</text><rect x="${left}" y="${y + 2}" width="${x(result.p50) - left}" height="14" fill="#4f7cff"/><line x1="${x(result.p50)}" x2="${x(result.p99)}" y1="${y + 9}" y2="${y + 9}" stroke="#111"/><text x="${width - 112}" y="${y + 12}">${format(result.p50)}</text>`;
  });
  const ticks = [];
  for (let power = Math.ceil(low); power <= Math.floor(high); power++)
    ticks.push(
      `<line x1="${x(10 ** power)}" x2="${x(10 ** power)}" y1="10" y2="${30 + report.benchmarks.length * rowHeight}" stroke="#ddd"/><text x="${x(10 ** power)}" y="${44 + report.benchmarks.length * rowHeight}" text-anchor="middle" font-size="10">${format(10 ** power)}</text>`,
    );
  const height = 60 + report.benchmarks.length * rowHeight;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Benchmarks</title><style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px} svg text{font-size:12px;font-family:system-ui,sans-serif}</style></head><body>
<h1>Benchmarks${report.quick ? " (quick)" : ""}</h1><p>${report.machine.date} · ${report.machine.cores} cores · ${report.machine.cpu_model} · Node ${report.machine.node}. Bars: p50 (log scale), whisker to p99.</p>
<svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${ticks.join("")}${rows.join("")}</svg>
</body></html>\n`;
}

export function writeBenchReport(
  report: BenchReport,
  directory: string,
): { json: string; markdown: string; html: string } {
  mkdirSync(directory, { recursive: true });
  const paths = {
    json: join(directory, "report.json"),
    markdown: join(directory, "report.md"),
    html: join(directory, "report.html"),
  };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.markdown, renderBenchMarkdown(report));
  writeFileSync(paths.html, renderBenchHtml(report));
  return paths;
}
