import { randomUUID } from "node:crypto";
import { availableParallelism, cpus } from "node:os";
import type { Judge } from "../judge/judge.ts";
import { bootstrapMean, bootstrapStatistic, type Estimate } from "../stats/bootstrap.ts";
import { percentiles } from "./percentiles.ts";
import { ProgressBar } from "./progress.ts";
import type {
  CaseResult,
  EvalCase,
  EvalSuite,
  MetricDefinition,
  MetricReport,
  ReportCalibration,
  RunReport,
  TurnDriver,
} from "./types.ts";
import { summarizeCalibration } from "realtime-agent";

export interface RunOptions {
  driver: TurnDriver;
  judge?: Judge;
  datasetsDirectory: string | undefined;
  limit?: number;
  repeat?: number;
  concurrency?: number;
  seed?: number;
  target?: string;
  /** USD per 1M input and output tokens for the model under test, when known. */
  pricing?: { inputPerMillion: number; outputPerMillion: number };
  progress?: boolean;
  /** Recorded in the report: whether the agent offered the model only the best-matching tools. */
  toolRouting?: string;
  /**
   * Runs the cases somewhere else (`rta eval --workers`: on a queue, case-queue.ts) and returns their
   * results in the order given; by default they run here, `concurrency` at once.
   */
  runCases?: (
    jobs: readonly SuiteJob[],
    onResult: (result: CaseResult) => void,
  ) => Promise<{ results: CaseResult[]; provider: string; model: string }>;
}

/** One run of one case: the report keeps results in this order. */
export interface SuiteJob<Case extends EvalCase = EvalCase> {
  testCase: Case;
  repeat: number;
  index: number;
}

/** The metrics every suite gets: latency, tokens and cost per case. */
export const commonMetrics: MetricDefinition[] = [
  {
    name: "answers.protocol_leak",
    description: "Share of cases whose answer showed protocol text (tool-call markup, tool-result JSON).",
    higherIsBetter: false,
    unit: "ratio",
    gate: true,
    of: (result) => (result.protocol_leaks === undefined ? undefined : Number(result.protocol_leaks.length > 0)),
  },
  {
    name: "latency.time_to_first_token_ms",
    description: "Time to first token per case (mean).",
    higherIsBetter: false,
    unit: "ms",
    of: (result) => result.time_to_first_token_ms ?? undefined,
  },
  {
    name: "latency.total_ms",
    description: "Total time per case (mean).",
    higherIsBetter: false,
    unit: "ms",
    of: (result) => result.total_ms,
  },
  {
    name: "tokens.input",
    description: "Input tokens per case (mean).",
    higherIsBetter: false,
    unit: "tokens",
    of: (result) => result.usage.input_tokens,
  },
  {
    name: "tokens.output",
    description: "Output tokens per case (mean).",
    higherIsBetter: false,
    unit: "tokens",
    of: (result) => result.usage.output_tokens,
  },
  {
    name: "cost.usd",
    description: "Model cost per case (mean), when prices are known.",
    higherIsBetter: false,
    unit: "usd",
    of: (result) => result.cost_usd ?? undefined,
  },
];

/** Runs every case of a suite (× repeat) with bounded concurrency and builds the report. */
export async function runSuite<Case extends EvalCase>(suite: EvalSuite<Case>, options: RunOptions): Promise<RunReport> {
  if (suite.needsCustomTools && !options.driver.supportsCustomTools) {
    throw new Error(
      `Suite ${suite.name} gives the model its own tools per case; run it in-process (without --target).`,
    );
  }
  if (suite.usesJudge === "required" && !options.judge) throw new Error(`Suite ${suite.name} needs a judge.`);
  const seed = options.seed ?? 1;
  const repeat = Math.max(1, options.repeat ?? 1);
  const startedAt = new Date();
  const cases = await suite.loadCases({ datasetsDirectory: options.datasetsDirectory, limit: options.limit, seed });
  const jobs: SuiteJob<Case>[] = cases
    .flatMap((testCase) => Array.from({ length: repeat }, (_, index) => ({ testCase, repeat: index })))
    .map((job, index) => ({ ...job, index }));
  const concurrency = Math.max(1, options.concurrency ?? suite.defaultConcurrency ?? 2);
  const progress = options.progress === false ? undefined : new ProgressBar(suite.name, jobs.length);
  const tick = (result: CaseResult) =>
    progress?.tick(!result.error && Object.values(result.scores).every((score) => score.pass));
  let results: CaseResult[] = new Array(jobs.length);
  const seen = { provider: "unknown", model: "unknown" };

  if (options.runCases) {
    const elsewhere = await options.runCases(jobs, tick);
    results = elsewhere.results;
    seen.provider = elsewhere.provider;
    seen.model = elsewhere.model;
  } else {
    let next = 0;
    const worker = async () => {
      for (;;) {
        const index = next++;
        const job = jobs[index];
        if (!job) return;
        const result = await runOneCase(suite, job.testCase, job.repeat, options, seed, seen);
        results[index] = result;
        tick(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  }

  const finishedAt = new Date();
  return {
    schema_version: 2,
    run_id: `${suite.name}-${startedAt.toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 6)}`,
    suite: suite.name,
    description: suite.description,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    wall_time_ms: finishedAt.getTime() - startedAt.getTime(),
    config: {
      target: options.target ?? options.driver.name,
      provider: seen.provider,
      model: seen.model,
      repeat,
      limit: options.limit ?? null,
      concurrency,
      seed,
      tool_routing: options.toolRouting ?? "off",
    },
    machine: {
      cores: availableParallelism(),
      cpu_model: cpus()[0]?.model ?? "unknown",
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    judge: options.judge && suite.usesJudge ? options.judge.info : null,
    ...summarizeCases(suite, results, seed),
  };
}

/** The figures of a report that follow from its cases: metrics, per-category breakdown, latency. */
export function summarizeCases(
  suite: Pick<EvalSuite, "metrics" | "confidenceScore">,
  results: CaseResult[],
  seed: number,
): Pick<RunReport, "metrics" | "breakdown" | "latency" | "cases" | "calibration"> {
  const metricDefinitions = [...suite.metrics, ...commonMetrics];
  return {
    ...(suite.confidenceScore ? { calibration: reportCalibration(suite.confidenceScore, results) } : {}),
    metrics: computeMetrics(metricDefinitions, results, seed),
    breakdown: computeBreakdown(
      metricDefinitions.filter((definition) => definition.byCategory),
      results,
      seed,
    ),
    latency: {
      time_to_first_token_ms: percentiles(
        results.flatMap((result) => (result.time_to_first_token_ms === null ? [] : [result.time_to_first_token_ms])),
      ),
      total_ms: percentiles(results.map((result) => result.total_ms)) ?? { p50: 0, p90: 0, p99: 0, histogram: [] },
    },
    cases: results,
  };
}

/** The answers' confidence against the score that says they are right (errored cases left out). */
export function reportCalibration(score: string, results: readonly CaseResult[]): ReportCalibration {
  const scored = results.filter((result) => !result.error && result.scores[score]);
  const samples = scored.flatMap((result) => {
    const confidence = result.values.confidence;
    return confidence === undefined || !Number.isFinite(confidence)
      ? []
      : [{ confidence, correct: result.scores[score]!.pass }];
  });
  const summary = summarizeCalibration(samples);
  return {
    score,
    n: summary.n,
    ece: summary.ece,
    brier: summary.brier,
    bins: summary.bins.map((bin) => ({
      lower: bin.lower,
      upper: bin.upper,
      count: bin.count,
      mean_confidence: bin.meanConfidence,
      accuracy: bin.accuracy,
    })),
    without_confidence: scored.length - samples.length,
  };
}

/** Runs one case as a run does (a worker of `rta eval --workers` too); `seen` learns who answered. */
export async function runOneCase<Case extends EvalCase>(
  suite: EvalSuite<Case>,
  testCase: Case,
  repeat: number,
  options: Pick<RunOptions, "driver" | "judge" | "pricing">,
  seed: number,
  seen: { provider: string; model: string },
): Promise<CaseResult> {
  const started = performance.now();
  try {
    const outcome = await suite.runCase(testCase, {
      driver: options.driver,
      judge: options.judge,
      seed: seed + repeat,
      repeat,
    });
    if (outcome.provider) seen.provider = outcome.provider;
    if (outcome.model) seen.model = outcome.model;
    const { provider: _provider, model: _model, cost_usd, ...rest } = outcome;
    return {
      ...rest,
      repeat,
      cost_usd:
        cost_usd ??
        (options.pricing
          ? (outcome.usage.input_tokens * options.pricing.inputPerMillion +
              outcome.usage.output_tokens * options.pricing.outputPerMillion) /
            1e6
          : null),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return erroredCase(
      testCase,
      repeat,
      { code: error instanceof Error ? error.name : "Error", message },
      performance.now() - started,
    );
  }
}

/** A case run that ended in an error instead of an outcome: scored nothing, kept in the report. */
export function erroredCase(
  testCase: EvalCase,
  repeat: number,
  error: { code: string; message: string },
  totalMs = 0,
): CaseResult {
  return {
    id: testCase.id,
    category: testCase.category,
    repeat,
    input: "",
    output: "",
    expected: "",
    scores: {},
    tags: {},
    values: {},
    time_to_first_token_ms: null,
    total_ms: totalMs,
    usage: { input_tokens: 0, output_tokens: 0 },
    cost_usd: null,
    tool_calls: [],
    error,
  };
}

/** Groups results by case id, so the bootstrap resamples whole cases with all their repetitions. */
function clustersOf<T>(results: readonly CaseResult[], pick: (result: CaseResult) => T | undefined): T[][] {
  const byCase = new Map<string, T[]>();
  for (const result of results) {
    const value = pick(result);
    if (value === undefined) continue;
    const cluster = byCase.get(result.id) ?? [];
    cluster.push(value);
    byCase.set(result.id, cluster);
  }
  return [...byCase.values()];
}

export function estimateMetric(definition: MetricDefinition, results: readonly CaseResult[], seed: number): Estimate {
  if (definition.statistic) {
    return bootstrapStatistic(
      clustersOf(results, (result) => result),
      definition.statistic,
      { seed },
    );
  }
  const of = definition.of!;
  return bootstrapMean(
    clustersOf(results, (result) => {
      const value = of(result);
      return value === undefined || Number.isNaN(value) ? undefined : value;
    }),
    { seed },
  );
}

function computeMetrics(
  definitions: readonly MetricDefinition[],
  results: readonly CaseResult[],
  seed: number,
): Record<string, MetricReport> {
  const metrics: Record<string, MetricReport> = {};
  for (const definition of definitions) {
    const estimate = estimateMetric(definition, results, seed);
    if (estimate.n === 0) continue;
    metrics[definition.name] = {
      ...estimate,
      unit: definition.unit,
      gate: definition.gate ?? ["ratio", "kappa", "score"].includes(definition.unit),
      higher_is_better: definition.higherIsBetter,
      description: definition.description,
    };
  }
  return metrics;
}

function computeBreakdown(
  definitions: readonly MetricDefinition[],
  results: readonly CaseResult[],
  seed: number,
): Record<string, Record<string, MetricReport>> {
  const categories = [...new Set(results.map((result) => result.category))].sort();
  const breakdown: Record<string, Record<string, MetricReport>> = {};
  for (const category of categories) {
    const inCategory = results.filter((result) => result.category === category);
    breakdown[category] = computeMetrics(definitions, inCategory, seed);
  }
  return breakdown;
}
