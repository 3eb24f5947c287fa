import { z } from "zod";
import type { CaseResult, RunReport } from "./types.ts";

// JSON writes NaN and Infinity as null: an estimate that could not be computed, the open last histogram bucket.
const estimateNumber = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);
const estimate = { value: estimateNumber, ci_low: estimateNumber, ci_high: estimateNumber, n: z.number() };
const estimateSchema = z.object(estimate);
const metricReportSchema = z.object({
  ...estimate,
  unit: z.enum(["ratio", "ms", "tokens", "usd", "kappa", "score"]),
  gate: z.boolean(),
  higher_is_better: z.boolean(),
  description: z.string(),
});
const percentilesSchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  histogram: z.array(
    z.object({
      upper_ms: z
        .number()
        .nullable()
        .transform((value) => value ?? Number.POSITIVE_INFINITY),
      count: z.number(),
    }),
  ),
});

const caseFields = {
  id: z.string(),
  category: z.string(),
  repeat: z.number(),
  input: z.string(),
  output: z.string(),
  expected: z.string(),
  scores: z.record(z.string(), z.object({ score: z.number(), pass: z.boolean(), reason: z.string() })),
  tags: z.record(z.string(), z.string()),
  values: z.record(z.string(), estimateNumber),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
};
const toolCallsSchema = z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }));

const reportFields = {
  run_id: z.string(),
  suite: z.string(),
  description: z.string(),
  started_at: z.string(),
  finished_at: z.string(),
  wall_time_ms: z.number(),
  config: z.object({
    target: z.string(),
    provider: z.string(),
    model: z.string(),
    repeat: z.number(),
    limit: z.number().nullable(),
    concurrency: z.number(),
    seed: z.number(),
    // Reports from before tool routing ran without it.
    tool_routing: z.string().default("off"),
  }),
  machine: z.object({ cores: z.number(), cpu_model: z.string(), node: z.string(), platform: z.string() }),
  merged_from: z.array(z.string()).optional(),
  judge: z
    .object({
      provider: z.string(),
      model: z.string(),
      calibration: z
        .object({
          accuracy: estimateSchema,
          kappa: estimateSchema,
          position_bias: estimateSchema,
          measured_at: z.string(),
          items: z.number(),
        })
        .nullable(),
    })
    .nullable(),
  metrics: z.record(z.string(), metricReportSchema),
  breakdown: z.record(z.string(), z.record(z.string(), metricReportSchema)),
};

const reportV2 = z.object({
  schema_version: z.literal(2),
  ...reportFields,
  latency: z.object({ time_to_first_token_ms: percentilesSchema.nullable(), total_ms: percentilesSchema }),
  calibration: z
    .object({
      score: z.string(),
      n: z.number(),
      ece: estimateNumber,
      brier: estimateNumber,
      bins: z.array(
        z.object({
          lower: z.number(),
          upper: z.number(),
          count: z.number(),
          mean_confidence: z.number(),
          accuracy: z.number(),
        }),
      ),
      without_confidence: z.number(),
    })
    .optional(),
  cases: z.array(
    z.object({
      ...caseFields,
      time_to_first_token_ms: z.number().nullable(),
      total_ms: z.number(),
      usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
      cost_usd: z.number().nullable(),
      tool_calls: toolCallsSchema,
      protocol_leaks: z.array(z.string()).optional(),
    }),
  ),
});

/** Version 1 (until 2026-11-27): cases in camelCase, and time to first token spelled `ttft`. */
const reportV1 = z
  .object({
    schema_version: z.literal(1),
    ...reportFields,
    latency: z.object({ ttft_ms: percentilesSchema.nullable(), total_ms: percentilesSchema }),
    cases: z.array(
      z.object({
        ...caseFields,
        ttftMs: z.number().optional(),
        totalMs: z.number(),
        usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
        costUsd: z.number().optional(),
        toolCalls: toolCallsSchema,
      }),
    ),
  })
  .transform(
    ({ schema_version: _version, latency, cases, metrics, breakdown, ...rest }): RunReport => ({
      schema_version: 2,
      ...rest,
      metrics: renameV1Metrics(metrics),
      breakdown: Object.fromEntries(Object.entries(breakdown).map(([key, value]) => [key, renameV1Metrics(value)])),
      latency: { time_to_first_token_ms: latency.ttft_ms, total_ms: latency.total_ms },
      cases: cases.map(
        ({ ttftMs, totalMs, usage, costUsd, toolCalls, ...same }): CaseResult => ({
          ...same,
          time_to_first_token_ms: ttftMs ?? null,
          total_ms: totalMs,
          usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
          cost_usd: costUsd ?? null,
          tool_calls: toolCalls,
        }),
      ),
    }),
  );

function renameV1Metrics<Metric>(metrics: Record<string, Metric>): Record<string, Metric> {
  return Object.fromEntries(
    Object.entries(metrics).map(([name, metric]) => [
      name === "latency.ttft_ms" ? "latency.time_to_first_token_ms" : name,
      metric,
    ]),
  );
}

/** Reads an eval report.json of either version, as the current version. */
export function parseRunReport(data: unknown): { ok: true; report: RunReport } | { ok: false; problem: string } {
  const version = z.object({ schema_version: z.union([z.literal(1), z.literal(2)]) }).safeParse(data);
  if (!version.success) return { ok: false, problem: "schema_version is not 1 or 2" };
  const parsed = version.data.schema_version === 1 ? reportV1.safeParse(data) : reportV2.safeParse(data);
  if (parsed.success) return { ok: true, report: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid" };
}
