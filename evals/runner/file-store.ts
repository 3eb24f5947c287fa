import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { GateResult } from "./gate.ts";
import { renderHtml } from "./report-html.ts";
import { renderMarkdown } from "./report-markdown.ts";
import { parseRunReport } from "./report-schema.ts";
import type { RunReport } from "./types.ts";

export const defaultReportsRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "reports");

/** Writes report.json, report.html and summary.md into the directory. */
export function writeReportFiles(
  report: RunReport,
  directory: string,
  gate?: GateResult,
): { json: string; html: string; markdown: string } {
  mkdirSync(directory, { recursive: true });
  const paths = {
    json: join(directory, "report.json"),
    html: join(directory, "report.html"),
    markdown: join(directory, "summary.md"),
  };
  writeFileSync(paths.json, `${JSON.stringify(gate ? { ...report, gate } : report, null, 2)}\n`);
  writeFileSync(paths.html, renderHtml(report, gate));
  writeFileSync(paths.markdown, renderMarkdown(report, gate));
  return paths;
}

/** Reads a report.json (either version; version 1 is converted), or says why it is not one. */
export function readReport(path: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = parseRunReport(data);
  if (!parsed.ok) throw new Error(`${path} is not an eval report (${parsed.problem}).`);
  return parsed.report;
}

export interface RunListing {
  run_id: string;
  suite: string;
  started_at: string;
  model: string;
  cases: number;
  headline: string;
  location: string;
}

export function headlineOf(metrics: RunReport["metrics"]): string {
  return Object.entries(metrics)
    .filter(([, metric]) => metric.gate)
    .slice(0, 3)
    .map(([name, metric]) => `${name} ${metric.value.toFixed(3)}`)
    .join(", ");
}

/** Every report.json under the reports root (two levels: suite/run). */
export function listReportFiles(root = defaultReportsRoot): RunListing[] {
  if (!existsSync(root)) return [];
  const listings: RunListing[] = [];
  const visit = (directory: string, depth: number) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() && depth < 3) visit(path, depth + 1);
      else if (entry.isFile() && entry.name === "report.json") {
        try {
          const report = readReport(path);
          listings.push({
            run_id: report.run_id,
            suite: report.suite,
            started_at: report.started_at,
            model: `${report.config.provider}/${report.config.model}`,
            cases: report.cases.length,
            headline: headlineOf(report.metrics),
            location: path,
          });
        } catch {
          // Not a report of ours; skip it.
        }
      }
    }
  };
  visit(root, 0);
  return listings.sort((a, b) => b.started_at.localeCompare(a.started_at));
}
