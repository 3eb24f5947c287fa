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
    bench.add(definition.name, definition.run);
    await bench.run();
    const task = bench.tasks[0]!;
    const result = task.result;
    if (result.state !== "completed")
      throw new Error(`Benchmark ${definition.name} did not complete (${result.state}).`);
    const samples = [...(result.latency.samples ?? [])].sort((a, b) => a - b);
    const summary: BenchmarkResult = {
      name: definition.name,
      group: definition.group,
      unit: definition.unit,
      samples: result.latency.samplesCount,
      p50: result.latency.p50,
      p95: samples.length ? quantile(samples, 0.95) : result.latency.p99,
      p99: result.latency.p99,
      mean: result.latency.mean,
      min: result.latency.min,
      max: result.latency.max,
      ops_per_s: result.latency.mean > 0 ? 1000 / result.latency.mean : 0,
      rme_percent: result.latency.rme,
      ...(definition.derive ? { derived: definition.derive(result.latency.mean) } : {}),
    };
    results.push(summary);
    options.onResult?.(summary);
  }
  return results;
}
