import { describe, expect, it } from "vitest";
import type { AgentEvent } from "realtime-agent";
import { frameOf } from "./protocol.ts";

const turnId = "turn-1";
const contentOf = (event: AgentEvent) => frameOf("session-1", 1, event).content;

describe("frames of agent events", () => {
  it("numbers answer chunks by segment, and says which segment the final answer is", () => {
    expect(frameOf("session-1", 3, { type: "text-delta", turnId, text: "Hi", segment: 1 })).toMatchObject({
      type: "agent_response_chunk",
      seq: 3,
      content: { text: "Hi", segment: 1 },
      context: { turn_id: turnId },
    });
    const finish = frameOf("session-1", 4, {
      type: "turn-finish",
      turnId,
      outcome: "completed",
      text: "Hi",
      answerSegment: 1,
      toolsUsed: ["calculator"],
      usage: { inputTokens: 3, outputTokens: 1 },
      provider: "local",
      model: "m",
      timings: {
        timeToFirstTokenMs: 5,
        totalMs: 9,
        steps: { loadContext: 0, inputGuard: 0, model: 5, tools: 2, store: 0 },
      },
    });
    expect(finish).toMatchObject({
      type: "agent_response_complete",
      content: {
        text: "Hi",
        answer_segment: 1,
        tools_used: ["calculator"],
        usage: { input_tokens: 3, output_tokens: 1 },
        cost_usd: null,
        timings: { time_to_first_token_ms: 5, total_ms: 9 },
      },
    });
  });

  it("sends each provider event and the tool-round limit as one system_event with snake_case data", () => {
    const frames = (
      [
        {
          type: "provider-retry",
          turnId,
          provider: "anthropic",
          attempt: 1,
          delayMs: 40,
          code: "PROVIDER_FAILED",
          message: "anthropic failed (PROVIDER_FAILED); retrying in 40 ms.",
        },
        {
          type: "provider-fallback",
          turnId,
          from: "anthropic",
          to: "openai",
          code: "PROVIDER_TIMEOUT",
          resumed: true,
          message: "anthropic failed (PROVIDER_TIMEOUT); resuming the answer with openai.",
        },
        { type: "provider-skipped", turnId, provider: "anthropic", to: "openai", message: "skipped" },
        { type: "tool-rounds-exhausted", turnId, maxToolRounds: 3, message: "exhausted" },
      ] satisfies AgentEvent[]
    ).map((event) => frameOf("session-1", 1, event));

    expect(frames.map((frame) => frame.type)).toEqual(Array(4).fill("system_event"));
    expect(frames.map((frame) => frame.content)).toEqual([
      {
        event: "provider_retry",
        message: "anthropic failed (PROVIDER_FAILED); retrying in 40 ms.",
        data: { provider: "anthropic", attempt: 1, delay_ms: 40, code: "PROVIDER_FAILED" },
      },
      {
        event: "provider_fallback",
        message: "anthropic failed (PROVIDER_TIMEOUT); resuming the answer with openai.",
        data: { from: "anthropic", to: "openai", code: "PROVIDER_TIMEOUT", resumed: true },
      },
      { event: "provider_skipped", message: "skipped", data: { provider: "anthropic", to: "openai" } },
      { event: "max_tool_rounds", message: "exhausted", data: { max_tool_rounds: 3 } },
    ]);
  });

  it("keeps tool calls, results and errors as they were", () => {
    expect(
      contentOf({ type: "tool-call", turnId, callId: "c1", name: "calculator", arguments: { expression: "1+1" } }),
    ).toEqual({ call_id: "c1", name: "calculator", arguments: { expression: "1+1" } });
    expect(
      contentOf({ type: "tool-result", turnId, callId: "c1", name: "calculator", result: 2, durationMs: 1 }),
    ).toEqual({ call_id: "c1", name: "calculator", result: 2, duration_ms: 1 });
    expect(contentOf({ type: "error", turnId, code: "PROVIDER_FAILED", message: "down", retryable: true })).toEqual({
      code: "PROVIDER_FAILED",
      message: "down",
      retryable: true,
    });
  });
});
