import { describe, expect, it } from "vitest";
import type { AgentEvent } from "realtime-agent";
import { cancelFrame, parseServerFrame, serverFrameTypes, userMessageFrame } from "realtime-agent/client";
import { errorFrame, frameOf, parseClientFrame } from "./protocol.ts";

const turnId = "1f0c9d6e-0000-4000-8000-000000000000";
const timings = { totalMs: 812.5, steps: { loadContext: 1, inputGuard: 0.1, model: 800, tools: 11, store: 0.4 } };

/** At least one event of every AgentEvent type, with each optional field present and absent. */
const eventsByType: { [Type in AgentEvent["type"]]: Extract<AgentEvent, { type: Type }>[] } = {
  "turn-start": [{ type: "turn-start", turnId, sessionId: "s1" }],
  "text-delta": [{ type: "text-delta", turnId, text: "The answer ", segment: 0 }],
  guard: [
    { type: "guard", turnId, stage: "input", action: "allow", layer: "classifier", score: 0.1, latencyMs: 4.2 },
    {
      type: "guard",
      turnId,
      stage: "tool-result",
      action: "block",
      layer: "rules",
      category: "injection",
      score: 1,
      latencyMs: 0.01,
      callId: "c1",
    },
  ],
  "tool-call": [{ type: "tool-call", turnId, callId: "c1", name: "calculator", arguments: { expression: "1+1" } }],
  "tool-result": [
    { type: "tool-result", turnId, callId: "c1", name: "calculator", result: { result: 2 }, durationMs: 1.5 },
    {
      type: "tool-result",
      turnId,
      callId: "c2",
      name: "weather",
      error: { code: "TOOL_TIMEOUT", message: "No answer in 5000 ms.", retryable: true },
      durationMs: 5000,
    },
  ],
  "provider-retry": [
    {
      type: "provider-retry",
      turnId,
      provider: "anthropic",
      attempt: 1,
      delayMs: 40,
      code: "PROVIDER_FAILED",
      message: "anthropic failed; retrying in 40 ms.",
    },
  ],
  "provider-fallback": [
    {
      type: "provider-fallback",
      turnId,
      from: "anthropic",
      to: "local",
      code: "PROVIDER_TIMEOUT",
      resumed: false,
      message: "anthropic failed; answering with local.",
    },
  ],
  "provider-skipped": [
    { type: "provider-skipped", turnId, provider: "anthropic", to: "local", message: "anthropic is skipped." },
  ],
  "tool-rounds-exhausted": [
    { type: "tool-rounds-exhausted", turnId, maxToolRounds: 4, message: "Stopped after 4 tool rounds." },
  ],
  "turn-finish": [
    {
      type: "turn-finish",
      turnId,
      outcome: "completed",
      text: "2",
      answerSegment: 1,
      toolsUsed: ["calculator"],
      usage: { inputTokens: 40, outputTokens: 3 },
      provider: "local",
      model: "SmolLM2",
      costUsd: 0.0001,
      timings: { ...timings, timeToFirstTokenMs: 120 },
    },
    {
      type: "turn-finish",
      turnId,
      outcome: "aborted",
      text: "",
      answerSegment: 0,
      toolsUsed: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      provider: "local",
      model: "SmolLM2",
      timings: { ...timings, timeToFirstTokenMs: undefined },
    },
    {
      type: "turn-finish",
      turnId,
      outcome: "completed",
      text: "12 * 7 = 84",
      answerSegment: 0,
      toolsUsed: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      provider: "cache",
      model: "cache",
      timings: { ...timings, timeToFirstTokenMs: 4 },
      cacheHit: { similarity: 0.93 },
    },
    {
      type: "turn-finish",
      turnId,
      outcome: "completed",
      text: "Sorry, I can't help with that.",
      answerSegment: 0,
      toolsUsed: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      provider: "local",
      model: "local",
      timings: { ...timings, timeToFirstTokenMs: 6 },
      blocked: { stage: "input", category: "weapons" },
    },
  ],
  "cache-lookup": [
    { type: "cache-lookup", turnId, hit: true, nearestSimilarity: 0.93 },
    { type: "cache-lookup", turnId, hit: false, nearestSimilarity: 0.9, refused: "specifics differ" },
    { type: "cache-lookup", turnId, hit: false, nearestSimilarity: undefined },
  ],
  specialist: [
    { type: "specialist", turnId, name: "travel", share: 0.82, followUp: false, consultable: ["finance"] },
    { type: "specialist", turnId, name: "general", share: 0.4, followUp: true, consultable: [] },
  ],
  "reasoning-chains": [
    {
      type: "reasoning-chains",
      turnId,
      chains: [
        { kind: "analytical", text: "4 × 3 = 12; 20 − 12 = 8.\nAnswer: 8", answer: "8" },
        { kind: "creative", text: "Hmm." },
      ],
      majority: "8",
    },
    { type: "reasoning-chains", turnId, chains: [] },
  ],
  error: [{ type: "error", turnId, code: "PROVIDER_FAILED", message: "The model crashed.", retryable: true }],
};

describe("one protocol: the server's encoder and the client's decoder", () => {
  const events = Object.values(eventsByType).flat();

  it.each(events.map((event) => [event.type, event] as const))(
    "a %s event encoded by frameOf parses back into the same frame",
    (_type, event) => {
      const frame = frameOf("s1", 7, event);
      const parsed = parseServerFrame(JSON.stringify(frame));
      // Through JSON as on the wire: an absent optional field and `undefined` are the same thing there.
      expect(parsed).toStrictEqual(JSON.parse(JSON.stringify(frame)));
      expect(parsed.type).toBe(frame.type);
    },
  );

  it("covers every frame type", () => {
    const encodedTypes = new Set(events.map((event) => frameOf("s1", 1, event).type));
    expect([...encodedTypes].sort()).toEqual([...serverFrameTypes].sort());
  });

  it("parses an error frame about the frame itself, which has no turn id", () => {
    const frame = errorFrame("s1", 3, "INPUT_MALFORMED", "Not JSON.");
    const parsed = parseServerFrame(JSON.stringify(frame));
    expect(parsed).toStrictEqual(frame);
    expect(parsed.context.turn_id).toBeUndefined();
  });

  it("the client's frame builders are frames the server accepts", () => {
    expect(parseClientFrame(JSON.stringify(userMessageFrame("What is 12.5% of 3,480?")))).toEqual({
      ok: true,
      message: { kind: "user_message", text: "What is 12.5% of 3,480?", messageId: undefined },
    });
    expect(parseClientFrame(JSON.stringify(userMessageFrame("hi", { messageId: "m1" })))).toEqual({
      ok: true,
      message: { kind: "user_message", text: "hi", messageId: "m1" },
    });
    expect(parseClientFrame(JSON.stringify(cancelFrame()))).toEqual({
      ok: true,
      message: { kind: "cancel", turnId: undefined },
    });
    expect(parseClientFrame(JSON.stringify(cancelFrame(turnId)))).toEqual({
      ok: true,
      message: { kind: "cancel", turnId },
    });
  });

  it("reads what a message asks of its turn from its context: reasoning chains, a specialist; refuses other values", () => {
    const asked = userMessageFrame("Hard one", { messageId: "m2", reasoning: "chains", specialist: "finance" });
    expect(asked.context).toEqual({ reasoning: "chains", specialist: "finance" });
    expect(parseClientFrame(JSON.stringify(asked))).toEqual({
      ok: true,
      message: {
        kind: "user_message",
        text: "Hard one",
        messageId: "m2",
        options: { reasoning: "chains", specialist: "finance" },
      },
    });
    const deep = { type: "user_message", content: { text: "hi" }, message_id: "m3", context: { reasoning: "deep" } };
    expect(parseClientFrame(JSON.stringify(deep))).toEqual({
      ok: false,
      messageId: "m3",
      message: expect.stringMatching(/^context\.reasoning: .*"single" or "chains"/),
    });
    const shouted = { type: "user_message", content: { text: "hi" }, context: { specialist: "Travel Agent" } };
    expect(parseClientFrame(JSON.stringify(shouted))).toMatchObject({ ok: false });
  });

  it("answers bad feedback with a reply_to, its own id or one made up", () => {
    const withId = parseClientFrame(JSON.stringify({ type: "feedback", message_id: "f-1", rating: 7 }));
    expect(withId).toMatchObject({ ok: false, messageId: "f-1" });
    const without = parseClientFrame(JSON.stringify({ type: "feedback", turn_id: "t" }));
    expect(without.ok).toBe(false);
    expect(!without.ok && without.messageId).toMatch(/^feedback-/);
    const longId = parseClientFrame(
      JSON.stringify({ type: "feedback", turn_id: "t", rating: 1, message_id: "x".repeat(200) }),
    );
    expect(longId.ok && longId.message).toMatchObject({
      kind: "feedback",
      messageId: expect.stringMatching(/^feedback-/),
    });
  });

  it("refuses a frame nested deeper than the protocol needs, before parsing it", () => {
    const deep = `{"text": "hi", "context": ${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(parseClientFrame(deep)).toEqual({ ok: false, message: expect.stringMatching(/deeper than 16 levels/) });
    // Brackets inside strings are text, not nesting.
    const quoted = JSON.stringify({ type: "user_message", content: { text: '[[[[[[[[[[[[[[[[[[[[[[[[\\"{{{{' } });
    expect(parseClientFrame(quoted)).toMatchObject({ ok: true, message: { kind: "user_message" } });
    const nested = { type: "user_message", content: { text: "hi" }, context: { a: { b: { c: [1, [2, [3]]] } } } };
    expect(parseClientFrame(JSON.stringify(nested))).toMatchObject({ ok: true });
  });
});
