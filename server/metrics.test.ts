import { describe, expect, it } from "vitest";
import { ServerMetrics } from "./metrics.ts";

const timings = {
  timeToFirstTokenMs: 12,
  totalMs: 40,
  steps: { loadContext: 0, inputGuard: 0, model: 30, tools: 5, store: 0 },
};

describe("ServerMetrics", () => {
  it("turns agent events into Prometheus series with buckets from 1 ms to 10 s", async () => {
    const metrics = new ServerMetrics({ processMetrics: false, provider: "local" });
    metrics.observe({ type: "tool-result", turnId: "t", callId: "c", name: "calculator", result: 1, durationMs: 3 });
    metrics.observe({
      type: "tool-result",
      turnId: "t",
      callId: "d",
      name: "calculator",
      error: { code: "TOOL_TIMEOUT", message: "slow", retryable: true },
      durationMs: 1000,
    });
    metrics.observe({
      type: "provider-fallback",
      turnId: "t",
      from: "anthropic",
      to: "openai",
      code: "PROVIDER_TIMEOUT",
      resumed: false,
      message: "m",
    });
    metrics.observe({
      type: "provider-retry",
      turnId: "t",
      provider: "anthropic",
      attempt: 1,
      delayMs: 5,
      code: "PROVIDER_TIMEOUT",
      message: "m",
    });
    metrics.observe({ type: "error", turnId: "t", code: "PROVIDER_TIMEOUT", message: "m", retryable: true });
    metrics.observe({
      type: "turn-finish",
      turnId: "t",
      outcome: "completed",
      text: "",
      answerSegment: 0,
      toolsUsed: [],
      usage: { inputTokens: 5, outputTokens: 7 },
      provider: "local",
      model: "m",
      timings,
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^agent_tool_duration_seconds_bucket\{le="0.001",tool="calculator",outcome="ok"\} 0$/m);
    expect(text).toMatch(/^agent_tool_duration_seconds_bucket\{le="0.005",tool="calculator",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^agent_tool_duration_seconds_bucket\{le="10",tool="calculator",outcome="error"\} 1$/m);
    expect(text).toMatch(/^agent_provider_fallbacks_total\{from="anthropic",to="openai"\} 1$/m);
    expect(text).toMatch(/^agent_provider_errors_total\{provider="local",code="PROVIDER_TIMEOUT"\} 1$/m);
    expect(text).toMatch(/^agent_errors_total\{error_type="PROVIDER_TIMEOUT"\} 1$/m);
    expect(text).toMatch(/^agent_time_to_first_token_seconds_bucket\{le="0.025"\} 1$/m);
    expect(text).toMatch(/^agent_response_time_seconds_bucket\{le="0.05",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^agent_tokens_total\{direction="in",provider="local"\} 5$/m);
  });

  it("counts an error as a provider error when its code's fault is the provider's", async () => {
    const metrics = new ServerMetrics({ processMetrics: false, provider: "local" });
    for (const code of ["TURN_MAX_ROUNDS", "PROVIDER_REJECTED", "INPUT_EMPTY", "INTERNAL"] as const)
      metrics.observe({ type: "error", turnId: "t", code, message: "m", retryable: false });
    const providerErrors = (await metrics.registry.metrics())
      .split("\n")
      .filter((line) => line.startsWith("agent_provider_errors_total{"));
    expect(providerErrors).toEqual([
      'agent_provider_errors_total{provider="local",code="TURN_MAX_ROUNDS"} 1',
      'agent_provider_errors_total{provider="local",code="PROVIDER_REJECTED"} 1',
    ]);
  });

  it("counts safety decisions by stage, action, layer and category, with scores and latency", async () => {
    const metrics = new ServerMetrics({ processMetrics: false });
    const guard = { type: "guard", turnId: "t" } as const;
    metrics.observe({ ...guard, stage: "input", action: "allow", layer: "classifier", score: 0.12, latencyMs: 6 });
    metrics.observe({
      ...guard,
      stage: "input",
      action: "block",
      layer: "rules",
      category: "injection",
      score: 1,
      latencyMs: 0.01,
    });
    metrics.observe({
      ...guard,
      stage: "output",
      action: "block",
      layer: "classifier",
      category: "weapons",
      score: 0.93,
      latencyMs: 8,
    });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^agent_guard_decisions_total\{stage="input",action="allow",layer="classifier",category="none"\} 1$/m,
    );
    expect(text).toMatch(
      /^agent_guard_decisions_total\{stage="input",action="block",layer="rules",category="injection"\} 1$/m,
    );
    expect(text).toMatch(
      /^agent_guard_decisions_total\{stage="output",action="block",layer="classifier",category="weapons"\} 1$/m,
    );
    expect(text).toMatch(/^agent_guard_score_bucket\{le="0.2",stage="input"\} 1$/m);
    expect(text).toMatch(/^agent_guard_score_count\{stage="input"\} 1$/m);
    expect(text).toMatch(/^agent_guard_latency_seconds_bucket\{le="0.01",stage="output"\} 1$/m);
  });
});
