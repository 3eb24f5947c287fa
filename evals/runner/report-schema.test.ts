import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bfclSuite } from "../suites/bfcl/suite.ts";
import { readReport, writeReportFiles } from "./file-store.ts";
import { compareWithBaseline } from "./gate.ts";
import { commonMetrics } from "./run-suite.ts";
import type { RunReport } from "./types.ts";

// The committed SmolLM2 runs are version 1 reports (camelCase cases); later issues compare against them.
const committedRuns = fileURLToPath(new URL("../results/2026-11-26-smollm2-135m/", import.meta.url));
const committedReport = (suite: string) => join(committedRuns, suite, "report.json");

describe("eval report.json", () => {
  it("reads every committed version 1 report as version 2: snake_case cases, one name for time to first token", () => {
    const suites = readdirSync(committedRuns, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(suites.length).toBeGreaterThanOrEqual(5);
    for (const suite of suites) {
      const path = committedReport(suite.name);
      const raw = JSON.parse(readFileSync(path, "utf8"));
      expect(raw.schema_version).toBe(1);
      const report = readReport(path);
      expect(report.schema_version).toBe(2);
      expect(report.cases).toHaveLength(raw.cases.length);
      expect(Object.keys(report.metrics)).not.toContain("latency.ttft_ms");
      expect(Object.keys(report.latency)).toEqual(["time_to_first_token_ms", "total_ms"]);
      report.cases.forEach((result, index) => {
        const before = raw.cases[index];
        expect(result).toMatchObject({
          id: before.id,
          total_ms: before.totalMs,
          time_to_first_token_ms: before.ttftMs ?? null,
          usage: { input_tokens: before.usage.inputTokens, output_tokens: before.usage.outputTokens },
          cost_usd: before.costUsd ?? null,
          tool_calls: before.toolCalls,
        });
        expect(Object.keys(result).filter((key) => /[A-Z]/.test(key))).toEqual([]);
      });
    }
    const bfcl = readReport(committedReport("bfcl"));
    expect(bfcl.metrics["latency.time_to_first_token_ms"]).toBeDefined();
    expect(bfcl.latency.time_to_first_token_ms?.histogram.at(-1)?.upper_ms).toBe(Number.POSITIVE_INFINITY);
    expect(bfcl.config.tool_routing).toBe("off");
  });

  it("gates a run against a committed baseline, per-case values included", () => {
    const baseline = readReport(committedReport("bfcl"));
    const definitions = [...bfclSuite.metrics, ...commonMetrics];
    const same = compareWithBaseline(baseline, baseline, definitions);
    expect(same.passed).toBe(true);
    expect(same.comparisons.map((comparison) => comparison.metric)).toContain("accuracy");
    expect(same.comparisons.find((comparison) => comparison.metric === "accuracy")?.delta).toMatchObject({
      value: 0,
      n: baseline.cases.length,
    });

    const failing = {
      ...baseline,
      cases: baseline.cases.map((result) => ({ ...result, scores: { ast: { score: 0, pass: false, reason: "" } } })),
      metrics: { ...baseline.metrics, accuracy: { ...baseline.metrics.accuracy!, value: 0, ci_low: 0, ci_high: 0 } },
    } satisfies RunReport;
    const regressed = compareWithBaseline(failing, baseline, definitions);
    expect(regressed.passed).toBe(false);
    expect(regressed.comparisons.find((comparison) => comparison.metric === "accuracy")).toMatchObject({
      significant_regression: true,
    });
  });

  it("writes version 2 and reads back what it wrote, gate included", () => {
    const report = readReport(committedReport("dialogue"));
    const gate = compareWithBaseline(report, report, commonMetrics);
    const directory = mkdtempSync(join(tmpdir(), "rta-report-"));
    const { json } = writeReportFiles(report, directory, gate);
    const written = JSON.parse(readFileSync(json, "utf8"));
    expect(written).toMatchObject({ schema_version: 2, gate: { passed: true } });
    expect(written.cases[0]).toHaveProperty("time_to_first_token_ms");
    expect(readReport(json)).toEqual(report);
  });

  it("says why a file is not an eval report", () => {
    const directory = mkdtempSync(join(tmpdir(), "rta-report-"));
    const path = join(directory, "report.json");
    writeFileSync(path, JSON.stringify({ schema_version: 2, suite: "x" }));
    expect(() => readReport(path)).toThrow(/is not an eval report \(run_id: /);
    writeFileSync(path, JSON.stringify({ kind: "bench", schema_version: 3 }));
    expect(() => readReport(path)).toThrow(/schema_version is not 1 or 2/);
  });
});
