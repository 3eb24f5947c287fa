import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { type AgentEvent, errorCodes, type FeedbackRecord } from "realtime-agent";

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Prometheus series for the server, fed from the same events that become WebSocket frames. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly messages = new Counter({
    name: "agent_messages_total",
    help: "User messages received.",
    registers: [this.registry],
  });
  readonly duplicateMessages = new Counter({
    name: "agent_duplicate_messages_total",
    help: "User messages sent again with an id the session already had (not answered twice).",
    registers: [this.registry],
  });
  readonly responseTime = new Histogram({
    name: "agent_response_time_seconds",
    help: "Time from a user message to the end of its turn.",
    labelNames: ["outcome"],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly timeToFirstToken = new Histogram({
    name: "agent_time_to_first_token_seconds",
    help: "Time from a user message to its first streamed token.",
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "agent_errors_total",
    help: "Errors sent to clients, by error code.",
    labelNames: ["error_type"],
    registers: [this.registry],
  });
  readonly activeSessions = new Gauge({
    name: "agent_active_sessions",
    help: "Sessions with at least one open WebSocket.",
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "agent_tokens_total",
    help: "Model tokens, by direction and the provider that answered.",
    labelNames: ["direction", "provider"],
    registers: [this.registry],
  });
  readonly cost = new Counter({
    name: "agent_cost_usd_total",
    help: "Model cost in USD, by provider (turns whose model has a known price).",
    labelNames: ["provider"],
    registers: [this.registry],
  });
  readonly toolDuration = new Histogram({
    name: "agent_tool_duration_seconds",
    help: "Tool call duration, by tool and outcome.",
    labelNames: ["tool", "outcome"],
    buckets: latencyBuckets,
    registers: [this.registry],
  });
  readonly providerErrors = new Counter({
    name: "agent_provider_errors_total",
    help: "Turns that ended in a model provider error, by provider and error code.",
    labelNames: ["provider", "code"],
    registers: [this.registry],
  });
  readonly providerFallbacks = new Counter({
    name: "agent_provider_fallbacks_total",
    help: "Switches from one model provider to the next in a fallback chain.",
    labelNames: ["from", "to"],
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: "agent_cache_lookups_total",
    help: "Semantic cache lookups: hit, miss, or refused (close enough, but the question's specifics differ).",
    labelNames: ["result"],
    registers: [this.registry],
  });
  readonly cacheSimilarity = new Histogram({
    name: "agent_cache_nearest_similarity",
    help: "Similarity of the nearest cached question at each semantic cache lookup.",
    buckets: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 1],
    registers: [this.registry],
  });
  readonly specialistTurns = new Counter({
    name: "agent_specialist_turns_total",
    help: "Turns the intent router gave to each specialist, and whether it read them as follow-ups.",
    labelNames: ["specialist", "follow_up"],
    registers: [this.registry],
  });
  readonly guardDecisions = new Counter({
    name: "agent_guard_decisions_total",
    help: "Safety guard decisions by stage (input, tool-result, output), action, deciding layer and category.",
    labelNames: ["stage", "action", "layer", "category"],
    registers: [this.registry],
  });
  readonly guardScore = new Histogram({
    name: "agent_guard_score",
    help: "The safety classifier's harmful share at each check, by stage.",
    labelNames: ["stage"],
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [this.registry],
  });
  readonly guardLatency = new Histogram({
    name: "agent_guard_latency_seconds",
    help: "Time the safety guard spent on one check, by stage.",
    labelNames: ["stage"],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  readonly #provider: string;

  readonly feedback = new Counter({
    name: "agent_feedback_total",
    help: "Feedback on answers: ratings from users (rating: good, neutral, bad), comments, and the signals the agent notices (rephrased, clarification, abandoned).",
    labelNames: ["kind", "rating"],
    registers: [this.registry],
  });
  readonly satisfaction = new Gauge({
    name: "agent_satisfaction_ratio",
    help: "Good ratings over good and bad ratings since the server started (NaN before any).",
    registers: [this.registry],
  });
  #ratings = { good: 0, bad: 0 };

  constructor(options: { processMetrics?: boolean; provider?: string } = {}) {
    this.satisfaction.set(Number.NaN);
    this.#provider = options.provider ?? "unknown";
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
  }

  observeFeedback(feedback: FeedbackRecord): void {
    const rating =
      feedback.score === undefined ? "none" : feedback.score > 0 ? "good" : feedback.score < 0 ? "bad" : "neutral";
    this.feedback.inc({ kind: feedback.kind, rating });
    if (feedback.kind !== "rating" || rating === "neutral") return;
    this.#ratings[rating === "good" ? "good" : "bad"]++;
    this.satisfaction.set(this.#ratings.good / (this.#ratings.good + this.#ratings.bad));
  }

  observe(event: AgentEvent): void {
    if (event.type === "turn-finish") {
      this.responseTime.observe({ outcome: event.outcome }, event.timings.totalMs / 1000);
      if (event.timings.timeToFirstTokenMs !== undefined)
        this.timeToFirstToken.observe(event.timings.timeToFirstTokenMs / 1000);
      this.tokens.inc({ direction: "in", provider: event.provider }, event.usage.inputTokens);
      this.tokens.inc({ direction: "out", provider: event.provider }, event.usage.outputTokens);
      if (event.costUsd !== undefined) this.cost.inc({ provider: event.provider }, event.costUsd);
    } else if (event.type === "tool-result") {
      this.toolDuration.observe({ tool: event.name, outcome: event.error ? "error" : "ok" }, event.durationMs / 1000);
    } else if (event.type === "cache-lookup") {
      this.cacheLookups.inc({ result: event.hit ? "hit" : event.refused ? "refused" : "miss" });
      if (event.nearestSimilarity !== undefined) this.cacheSimilarity.observe(event.nearestSimilarity);
    } else if (event.type === "guard") {
      const { stage, action, layer } = event;
      this.guardDecisions.inc({ stage, action, layer, category: event.category ?? "none" });
      if (layer === "classifier") this.guardScore.observe({ stage }, event.score);
      this.guardLatency.observe({ stage }, event.latencyMs / 1000);
    } else if (event.type === "specialist") {
      this.specialistTurns.inc({ specialist: event.name, follow_up: String(event.followUp) });
    } else if (event.type === "provider-fallback") {
      this.providerFallbacks.inc({ from: event.from, to: event.to });
    } else if (event.type === "error") {
      this.errors.inc({ error_type: event.code });
      if (errorCodes[event.code].fault === "provider")
        this.providerErrors.inc({ provider: this.#provider, code: event.code });
    }
  }
}
