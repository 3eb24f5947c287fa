import type { TokenUsage, TurnInput } from "realtime-agent";
import type { ModelCall } from "../bfcl/ast-match.ts";
import type { ScoreResult } from "../scorers/types.ts";
import type { Judge } from "../judge/judge.ts";
import type { JudgeInfo } from "../judge/judge-info.ts";
import type { Estimate } from "../stats/bootstrap.ts";

/** One turn as an eval sees it, whichever way it was driven (in-process or over WebSocket). */
export interface TurnObservation {
  text: string;
  toolCalls: ModelCall[];
  toolResults: { name: string; result?: unknown; error?: { code: string; message: string } }[];
  usage: TokenUsage;
  timeToFirstTokenMs: number | undefined;
  totalMs: number;
  provider: string;
  model: string;
  costUsd?: number;
  /** The answer's confidence (turn-finish `confidence`), when the model gives one. */
  confidence?: number;
  error?: { code: string; message: string };
}

/**
 * One turn an eval asks for: the core's own TurnInput, so a case brings its tools (BFCL gives each case
 * its functions), system prompt, output limit, `planOnly` to end once the model has chosen its calls,
 * and `history` (earlier messages given instead of the session's stored ones: a multi-turn case).
 */
export type TurnRequest = Pick<
  TurnInput,
  "sessionId" | "owner" | "text" | "tools" | "systemPrompt" | "maxOutputTokens" | "planOnly" | "history" | "reasoning"
>;

export interface TurnDriver {
  readonly name: string;
  readonly supportsCustomTools: boolean;
  runTurn(request: TurnRequest): Promise<TurnObservation>;
  close(): Promise<void>;
}

export interface EvalCase {
  id: string;
  category: string;
}

/** One case run as the report keeps it (report JSON is snake_case throughout). */
export interface CaseResult {
  id: string;
  category: string;
  repeat: number;
  input: string;
  output: string;
  expected: string;
  scores: Record<string, ScoreResult>;
  time_to_first_token_ms: number | null;
  total_ms: number;
  usage: { input_tokens: number; output_tokens: number };
  cost_usd: number | null;
  tool_calls: ModelCall[];
  /** Kinds of protocol text found in the answers the user saw (empty: clean); absent when not checked. */
  protocol_leaks?: string[];
  /** Suite-specific labels (e.g. XSTest's safe/unsafe) and numbers (e.g. judge scores). */
  tags: Record<string, string>;
  values: Record<string, number>;
  error?: { code: string; message: string };
}

export type CaseOutcome = Omit<CaseResult, "repeat" | "cost_usd"> & {
  provider?: string;
  model?: string;
  cost_usd?: number;
};

/** A metric is a statistic over case results; by default the mean of a per-case value. */
export interface MetricDefinition {
  name: string;
  description: string;
  higherIsBetter: boolean;
  unit: "ratio" | "ms" | "tokens" | "usd" | "kappa" | "score";
  /** Per-case value; undefined leaves the case out of this metric. */
  of?: (result: CaseResult) => number | undefined;
  /** A statistic over all case results (kappa, bias); bootstrapped by resampling cases. */
  statistic?: (results: readonly CaseResult[]) => number;
  byCategory?: boolean;
  /** Whether `--baseline` gates on this metric (default: quality metrics yes, latency/tokens/cost no). */
  gate?: boolean;
}

export interface SuiteContext {
  datasetsDirectory: string | undefined;
  limit: number | undefined;
  seed: number;
}

export interface CaseContext {
  driver: TurnDriver;
  judge: Judge | undefined;
  seed: number;
  repeat: number;
}

export interface EvalSuite<Case extends EvalCase = EvalCase> {
  name: string;
  description: string;
  needsCustomTools?: boolean;
  /** "required": the suite measures the judge itself; "optional": judged scores are extra metrics. */
  usesJudge?: "required" | "optional";
  /**
   * Whether the agent's tool predictor picks the tools offered (auto, the default: the shipped agent)
   * or the model sees every tool of the case (off: BFCL measures the model's own choice).
   */
  defaultToolRouting?: "auto" | "off";
  defaultConcurrency?: number;
  /**
   * The suite measures what the agent learns of its users (AgentOptions.profiles): its agent learns
   * profiles, unless RTA_PROFILES=off (the same agent without them, for comparison). Cases name their
   * users with `owner`.
   */
  profiles?: boolean;
  /**
   * The score whose `pass` says the answer is right: the report then sets each case's
   * `values.confidence` (the answer's confidence) against it, in a reliability diagram with the
   * expected calibration error (RunReport.calibration).
   */
  confidenceScore?: string;
  loadCases(context: SuiteContext): Promise<Case[]>;
  runCase(testCase: Case, context: CaseContext): Promise<CaseOutcome>;
  metrics: MetricDefinition[];
  /** Runs once the report is built (the calibration suite saves the judge's figures here). */
  afterRun?(report: RunReport, judge: Judge | undefined): Promise<void>;
}

export interface MetricReport extends Estimate {
  unit: MetricDefinition["unit"];
  gate: boolean;
  higher_is_better: boolean;
  description: string;
}

/** report.json. Version 2 made it snake_case throughout; `readReport` still reads version 1. */
export interface RunReport {
  schema_version: 2;
  run_id: string;
  suite: string;
  description: string;
  started_at: string;
  finished_at: string;
  wall_time_ms: number;
  config: {
    target: string;
    provider: string;
    model: string;
    repeat: number;
    limit: number | null;
    concurrency: number;
    seed: number;
    tool_routing: string;
  };
  machine: { cores: number; cpu_model: string; node: string; platform: string };
  judge: JudgeInfo | null;
  /** For a report merged from runs over parts of the suite (`rta eval --merge`): their run ids. */
  merged_from?: string[];
  metrics: Record<string, MetricReport>;
  breakdown: Record<string, Record<string, MetricReport>>;
  latency: { time_to_first_token_ms: Percentiles | null; total_ms: Percentiles };
  /** How well the answers' confidence forecast their correctness (suites with `confidenceScore`). */
  calibration?: ReportCalibration;
  cases: CaseResult[];
}

/** A reliability diagram of the answers that had a confidence: see `summarizeCalibration`. */
export interface ReportCalibration {
  score: string;
  n: number;
  ece: number;
  brier: number;
  bins: { lower: number; upper: number; count: number; mean_confidence: number; accuracy: number }[];
  /** Answers without a confidence (the model gave none, the agent answered in its own words). */
  without_confidence: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  histogram: { upper_ms: number; count: number }[];
}

/** An observation before any event of its turn: what each driver folds events into. */
export function emptyObservation(): TurnObservation {
  return {
    text: "",
    toolCalls: [],
    toolResults: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    timeToFirstTokenMs: undefined,
    totalMs: 0,
    provider: "",
    model: "",
  };
}
