import { Bench } from "tinybench";
import { quantile } from "../evals/stats/bootstrap.ts";
import type { BenchmarkDefinition, BenchmarkResult } from "./bench-types.ts";

export interface RunBenchmarksOptions {
  quick: boolean;
  onResult?: (result: BenchmarkResult) => void;
}

/** Runs each benchmark with tinybench (warm-up, then many samples) and summarizes its samples. */
export async function runBenchmarks(
  definitions: readonly BenchmarkDefinition[],
  options: RunBenchmarksOptions,
): Promise<BenchmarkResult[]> {
  const results: BenchmarkResult[] = [];
  for (const definition of definitions) {
    const bench = new Bench({
      retainSamples: true,
      throws: true,
      ...(definition.iterations
        ? {
            iterations: options.quick ? Math.max(2, Math.ceil(definition.iterations / 3)) : definition.iterations,
            time: 0,
            warmupIterations: 1,
            warmupTime: 0,
          }
        : { time: options.quick ? 150 : 1500, warmupTime: options.quick ? 30 : 300 }),
    });
    const measured: number[] = [];
    const { measure, run } = definition;
    bench.add(definition.name, measure ? async () => void measured.push(measure(await run())) : run);
    await definition.setup?.();
    try {
      await bench.run();
    } finally {
      await definition.teardown?.();
    }
    const task = bench.tasks[0]!;
    const result = task.result;
    if (result.state !== "completed")
      throw new Error(`Benchmark ${definition.name} did not complete (${result.state}).`);
    const latency = measure
      ? summarize(measured.slice(-result.latency.samplesCount))
      : { ...result.latency, p95: quantileOf(result.latency.samples ?? [], 0.95) ?? result.latency.p99 };
    const summary: BenchmarkResult = {
      name: definition.name,
      group: definition.group,
      unit: definition.unit,
      samples: result.latency.samplesCount,
      p50: latency.p50 ?? 0,
      p95: latency.p95,
      p99: latency.p99 ?? 0,
      mean: latency.mean,
      min: latency.min,
      max: latency.max,
      ops_per_s: latency.mean > 0 ? 1000 / latency.mean : 0,
      rme_percent: latency.rme,
      ...(definition.derive ? { derived: definition.derive(latency.mean) } : {}),
    };
    results.push(summary);
    options.onResult?.(summary);
  }
  return results;
}

function quantileOf(values: readonly number[], q: number): number | undefined {
  return values.length
    ? quantile(
        [...values].sort((a, b) => a - b),
        q,
      )
    : undefined;
}

/** The same figures tinybench reports, for samples a benchmark measured itself. */
function summarize(values: readonly number[]) {
  const count = values.length;
  const mean = count ? values.reduce((sum, value) => sum + value, 0) / count : 0;
  const variance = count > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1) : 0;
  return {
    p50: quantileOf(values, 0.5) ?? 0,
    p95: quantileOf(values, 0.95) ?? 0,
    p99: quantileOf(values, 0.99) ?? 0,
    mean,
    min: count ? Math.min(...values) : 0,
    max: count ? Math.max(...values) : 0,
    // Relative margin of error at 95 % (normal approximation), in percent of the mean.
    rme: mean > 0 && count > 1 ? ((1.96 * Math.sqrt(variance / count)) / mean) * 100 : 0,
  };
}
