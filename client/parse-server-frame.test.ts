import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { RealtimeClientError } from "./client-error.ts";
import { parseServerFrame } from "./parse-server-frame.ts";
import { serverFrameSchema } from "./server-frames.ts";

const envelope = {
  message_id: "5b0e1c2d-0000-4000-8000-000000000000",
  session_id: "s1",
  seq: 7,
  timestamp: "2026-11-26T04:40:00.000Z",
  context: { protocol: "rta.v1", turn_id: "t1" },
};
const chunk = { ...envelope, type: "agent_response_chunk", content: { text: "The answer", segment: 0 } };

function errorOf(data: string): RealtimeClientError {
  try {
    parseServerFrame(data);
  } catch (error) {
    if (RealtimeClientError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("parseServerFrame accepted the frame");
}

describe("parseServerFrame", () => {
  it("returns a frame typed by its type", () => {
    const frame = parseServerFrame(JSON.stringify(chunk));
    expect(frame.type).toBe("agent_response_chunk");
    if (frame.type !== "agent_response_chunk") throw new Error("unreachable");
    expect(frame.content.text).toBe("The answer");
    expect(frame.seq).toBe(7);
  });

  it("accepts the segment of a chunk and rejects a negative one", () => {
    const withSegment = { ...chunk, content: { text: "x", segment: 1 } };
    expect(parseServerFrame(JSON.stringify(withSegment)).content).toEqual({ text: "x", segment: 1 });
    const negative = { ...chunk, content: { text: "x", segment: -1 } };
    expect(errorOf(JSON.stringify(negative)).code).toBe("FRAME_INVALID");
  });

  it("drops fields it does not know, as rta.v1 asks of clients", () => {
    const extended = {
      ...chunk,
      extra: 1,
      content: { text: "x", segment: 2, tone: "calm" },
      context: { ...chunk.context, x: 1 },
    };
    const frame = parseServerFrame(JSON.stringify(extended));
    expect(frame).toEqual({ ...chunk, content: { text: "x", segment: 2 } });
    expect("extra" in frame).toBe(false);
  });

  it("accepts system events with any data record", () => {
    const frame = parseServerFrame(
      JSON.stringify({
        ...envelope,
        type: "system_event",
        content: { event: "provider_retry", message: "retrying", data: { delay_ms: 250, attempt: 2 } },
      }),
    );
    expect(frame.content).toEqual({
      event: "provider_retry",
      message: "retrying",
      data: { delay_ms: 250, attempt: 2 },
    });
  });

  it.each([
    ["not JSON", "this is not json", "FRAME_NOT_JSON"],
    ["a JSON array", "[]", "FRAME_INVALID"],
    ["JSON null", "null", "FRAME_INVALID"],
    ["no type", JSON.stringify({ ...envelope, content: {} }), "FRAME_INVALID"],
    ["no seq", JSON.stringify({ ...chunk, seq: undefined }), "FRAME_INVALID"],
    ["a text seq", JSON.stringify({ ...chunk, seq: "7" }), "FRAME_INVALID"],
    ["no context", JSON.stringify({ ...chunk, context: undefined }), "FRAME_INVALID"],
    ["content of the wrong shape", JSON.stringify({ ...chunk, content: { txt: "x" } }), "FRAME_INVALID"],
    [
      "a tool call without arguments",
      JSON.stringify({ ...envelope, type: "tool_call", content: { call_id: "c", name: "n" } }),
      "FRAME_INVALID",
    ],
    [
      "an unknown outcome",
      JSON.stringify({ ...envelope, type: "agent_response_complete", content: { outcome: "maybe" } }),
      "FRAME_INVALID",
    ],
  ])("rejects %s with a typed error", (_name, data, code) => {
    const error = errorOf(data);
    expect(error).toBeInstanceOf(RealtimeClientError);
    expect(error.code).toBe(code);
  });

  it("names the field that is wrong", () => {
    expect(errorOf(JSON.stringify({ ...chunk, content: { text: 3 } })).message).toContain("content.text");
  });

  it("reports a well-formed frame of an unknown type with its seq, so a client can skip it", () => {
    const error = errorOf(JSON.stringify({ ...envelope, seq: 12, type: "agent_thinking", content: {} }));
    expect(error.code).toBe("FRAME_TYPE_UNKNOWN");
    expect(error.seq).toBe(12);
  });
});

describe("parseServerFrame and serverFrameSchema", () => {
  const complete = {
    ...envelope,
    type: "agent_response_complete",
    content: {
      text: "2",
      answer_segment: 0,
      outcome: "completed",
      tools_used: ["calculator"],
      usage: { input_tokens: 1, output_tokens: 1 },
      provider: "local",
      model: "m",
      cost_usd: null,
      timings: { time_to_first_token_ms: null, total_ms: 3, steps_ms: { model: 2 } },
    },
  };
  const valid: Record<string, unknown>[] = [
    chunk,
    complete,
    {
      ...envelope,
      context: { protocol: "rta.v1" },
      type: "error",
      content: { code: "X", message: "m", retryable: false },
    },
    { ...envelope, type: "tool_result", content: { call_id: "c", name: "n", result: [1], duration_ms: 1 } },
  ];
  const wrongValues = [undefined, null, "7", 7, -1, 1.5, [], {}, { protocol: 1 }, { protocol: "rta.v1", turn_id: 3 }];
  // Every valid frame with each field (and each content field) replaced by each wrong value.
  const variants = valid.flatMap((frame) => [
    frame,
    ...Object.keys(frame).flatMap((field) => wrongValues.map((wrong) => ({ ...frame, [field]: wrong }))),
    ...Object.keys(frame.content as object).flatMap((field) =>
      wrongValues.map((wrong) => ({ ...frame, content: { ...(frame.content as object), [field]: wrong } })),
    ),
  ]);

  it(`accept and reject the same frames, with the same result (${variants.length} variants)`, () => {
    const disagreements = variants.flatMap((variant) => {
      const data = JSON.stringify(variant);
      const bySchema = serverFrameSchema.safeParse(JSON.parse(data));
      let byParser: unknown;
      try {
        byParser = parseServerFrame(data);
      } catch (error) {
        if (!RealtimeClientError.isInstance(error)) throw error;
      }
      const expected = bySchema.success ? bySchema.data : undefined;
      return isDeepStrictEqual(byParser, expected) ? [] : [{ data, byParser, expected }];
    });
    expect(disagreements).toEqual([]);
    expect(variants.filter((variant) => serverFrameSchema.safeParse(variant).success).length).toBeGreaterThan(4);
  });
});
