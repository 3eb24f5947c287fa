import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchmarkDefinition } from "../../benchmarks/bench-types.ts";
import {
  buildBenchReport,
  compareBench,
  readBenchBaseline,
  renderBenchMarkdown,
  writeBenchReport,
} from "../../benchmarks/report.ts";
import { runBenchmarks } from "../../benchmarks/run-benchmarks.ts";
import { frameworkBenchmarks } from "../../benchmarks/suites/framework.ts";
import { localAgentBenchmarks } from "../../benchmarks/suites/local-agent.ts";
import { localModelBenchmarks } from "../../benchmarks/suites/local-model.ts";
import { storeBenchmarks } from "../../benchmarks/suites/stores.ts";
import { cacheBenchmarks } from "../../benchmarks/suites/cache.ts";
import { routingBenchmarks } from "../../benchmarks/suites/routing.ts";

export const benchmarksRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../benchmarks/reports");

const benchSuites: Record<string, () => BenchmarkDefinition[]> = {
  framework: frameworkBenchmarks,
  stores: storeBenchmarks,
  cache: cacheBenchmarks,
  routing: routingBenchmarks,
  "local-model": () => [...localModelBenchmarks(), ...localAgentBenchmarks()],
};

export const benchUsage = `rta bench [--quick] [--suite NAME] [--out DIR] [--baseline FILE]
  suites: ${Object.keys(benchSuites).join(", ")} (default: all)
  --quick            short time budgets, under a minute in all
  --out DIR          where report.json, report.md, report.html go (default benchmarks/reports/bench-<date>)
  --baseline FILE    an earlier report.json: adds current/baseline ratios of the medians`;

export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean" },
      suite: { type: "string" },
      out: { type: "string" },
      baseline: { type: "string" },
    },
  });
  const names = values.suite ? [values.suite] : Object.keys(benchSuites);
  const unknown = names.filter((name) => !benchSuites[name]);
  if (unknown.length) {
    process.stderr.write(`Unknown benchmark suite "${unknown[0]}".\n${benchUsage}\n`);
    return 2;
  }
  const definitions = names.flatMap((name) => benchSuites[name]!());
  const results = await runBenchmarks(definitions, {
    quick: values.quick ?? false,
    onResult: (result) =>
      process.stderr.write(
        `${result.name.padEnd(40)} p50 ${result.p50.toPrecision(3)} ms · p99 ${result.p99.toPrecision(3)} ms · ${result.samples} samples\n`,
      ),
  });
  const report = buildBenchReport(results, values.quick ?? false);
  if (values.baseline) report.comparison = compareBench(report, readBenchBaseline(resolve(values.baseline)));
  const directory = resolve(
    values.out ?? join(benchmarksRoot, `bench-${report.machine.date.slice(0, 19).replace(/:/g, "-")}`),
  );
  const paths = writeBenchReport(report, directory);
  process.stdout.write(renderBenchMarkdown(report));
  process.stdout.write(`\nreport: ${paths.markdown}\n`);
  return 0;
}
