import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveDatasetsDirectory } from "../evals/datasets.ts";

const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/rta.js");
const rta = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, DATABASE_URL: "" },
  });

describe("rta eval", () => {
  it("explains its options and rejects an unknown suite", () => {
    expect(rta("eval", "--help").stdout).toContain("--baseline FILE");
    const unknown = rta("eval", "nonsense");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown suite "nonsense"');
  });

  it.skipIf(!resolveDatasetsDirectory())(
    "runs a suite with the local model, writes the three reports, and fails the gate on a regression",
    () => {
      const out = mkdtempSync(join(tmpdir(), "rta-eval-"));
      // BFCL parallel: the 135M model makes one call where two are expected, so these cases fail.
      const run = rta("eval", "bfcl", "--category", "parallel", "--limit", "2", "--out", join(out, "first"), "--quiet");
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/\| accuracy \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \| 2 \|/);
      const report = JSON.parse(readFileSync(join(out, "first", "report.json"), "utf8"));
      expect(report).toMatchObject({ suite: "bfcl-parallel", config: { provider: "local", limit: 2 } });
      for (const metric of Object.values(report.metrics) as Record<string, number>[]) {
        expect(Object.keys(metric)).toEqual(expect.arrayContaining(["value", "ci_low", "ci_high", "n"]));
      }
      expect(readFileSync(join(out, "first", "report.html"), "utf8")).toContain("<svg");
      expect(readFileSync(join(out, "first", "summary.md"), "utf8")).toContain("# bfcl-parallel");

      // A baseline in which 200 cases all passed: against it this run is a significant regression.
      const passing = { ast: { score: 1, pass: true, reason: "" } };
      const baseline = {
        ...report,
        cases: Array.from({ length: 200 }, (_, index) => ({
          ...report.cases[0],
          id: `baseline-${index}`,
          scores: passing,
        })),
        metrics: {
          ...report.metrics,
          accuracy: { ...report.metrics.accuracy, value: 1, ci_low: 1, ci_high: 1, n: 200 },
        },
      };
      writeFileSync(join(out, "baseline.json"), JSON.stringify(baseline));
      const gated = rta(
        "eval",
        "bfcl",
        "--category",
        "parallel",
        "--limit",
        "2",
        "--out",
        join(out, "second"),
        "--baseline",
        join(out, "baseline.json"),
        "--quiet",
      );
      expect(report.metrics.accuracy.value).toBe(0);
      expect(gated.status).toBe(3);
      expect(gated.stdout).toContain("Baseline gate: FAILED");
      expect(gated.stdout).toMatch(/\| accuracy \| 1\.000 \| 0\.000 \| -1\.000 .* significant regression \|/);
    },
    300_000,
  );
});
