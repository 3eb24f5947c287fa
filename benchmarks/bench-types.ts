/** One benchmark: a function timed over many samples by tinybench. */
export interface BenchmarkDefinition {
  name: string;
  unit: string;
  group: string;
  run: () => unknown | Promise<unknown>;
  /** For slow tasks (the local model): a fixed number of samples instead of a time budget. */
  iterations?: number;
  /**
   * The figure one sample reports, in milliseconds, when it is not the run's own duration: a turn's
   * time to its first answer token, read from what `run` returned. Default: the run's duration.
   */
  measure?: (sampleResult: unknown) => number;
  /** Prepares what `run` needs (opens a database) before sampling starts; `teardown` after. */
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  /** Derived figures computed from the samples (e.g. tokens/s), added to the report. */
  derive?: (meanMs: number) => Record<string, number>;
}

export interface BenchmarkResult {
  name: string;
  group: string;
  unit: string;
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  ops_per_s: number;
  rme_percent: number;
  derived?: Record<string, number>;
}
