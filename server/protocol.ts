import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { AgentEvent, ErrorCode, ImageInput } from "realtime-agent";
import {
  protocolVersion,
  type ServerFrameContent,
  type ServerFrameEnvelope,
  type ServerFrameType,
} from "realtime-agent/client";
import { nestsDeeperThan } from "./json-depth.ts";
import { type FeedbackBody, feedbackBody } from "./feedback.ts";

/**
 * The WebSocket protocol, version rta.v1 (docs/protocol.md). Each AgentEvent becomes exactly one
 * server frame; frames carry a per-session sequence number so a client can resume where it left off.
 * The frame types come from the client package (realtime-agent/client), whose `parseServerFrame`
 * decodes what this encodes.
 */
export { protocolVersion };

const frameTypeOf = {
  "turn-start": "turn_start",
  "text-delta": "agent_response_chunk",
  "tool-call": "tool_call",
  "tool-result": "tool_result",
  "provider-retry": "system_event",
  "provider-fallback": "system_event",
  "provider-skipped": "system_event",
  "tool-rounds-exhausted": "system_event",
  "turn-finish": "agent_response_complete",
  "cache-lookup": "system_event",
  guard: "system_event",
  specialist: "system_event",
  "reasoning-chains": "system_event",
  error: "error",
} as const satisfies Record<AgentEvent["type"], ServerFrameType>;

export function frameContentOf(event: AgentEvent): ServerFrameContent {
  switch (event.type) {
    case "turn-start":
      return { turn_id: event.turnId };
    case "text-delta":
      return { text: event.text, segment: event.segment };
    case "tool-call":
      return { call_id: event.callId, name: event.name, arguments: event.arguments };
    case "tool-result":
      return event.error
        ? { call_id: event.callId, name: event.name, error: event.error, duration_ms: event.durationMs }
        : { call_id: event.callId, name: event.name, result: event.result, duration_ms: event.durationMs };
    case "provider-retry":
      return systemEvent("provider_retry", event.message, {
        provider: event.provider,
        attempt: event.attempt,
        delay_ms: event.delayMs,
        code: event.code,
      });
    case "provider-fallback":
      return systemEvent("provider_fallback", event.message, {
        from: event.from,
        to: event.to,
        code: event.code,
        resumed: event.resumed,
      });
    case "provider-skipped":
      return systemEvent("provider_skipped", event.message, { provider: event.provider, to: event.to });
    case "tool-rounds-exhausted":
      return systemEvent("max_tool_rounds", event.message, { max_tool_rounds: event.maxToolRounds });
    case "cache-lookup":
      return systemEvent(
        "cache_lookup",
        event.hit ? "Answered from the semantic cache." : "Not in the semantic cache.",
        {
          hit: event.hit,
          nearest_similarity: event.nearestSimilarity ?? null,
          ...(event.refused ? { refused: event.refused } : {}),
        },
      );
    case "guard":
      return systemEvent(
        "guard",
        event.action === "block"
          ? `The safety guard blocked the ${event.stage}.`
          : `The safety guard passed the ${event.stage}.`,
        {
          stage: event.stage,
          action: event.action,
          layer: event.layer,
          category: event.category ?? null,
          score: event.score,
          latency_ms: event.latencyMs,
          ...(event.callId ? { call_id: event.callId } : {}),
        },
      );
    case "specialist":
      return systemEvent("specialist", `The ${event.name} specialist answers.`, {
        specialist: event.name,
        share: event.share,
        follow_up: event.followUp,
        consultable: event.consultable,
      });
    case "reasoning-chains":
      return systemEvent("reasoning_chains", `${event.chains.length} lines of reasoning, then their synthesis.`, {
        chains: event.chains,
        majority: event.majority ?? null,
      });
    case "turn-finish":
      return {
        text: event.text,
        answer_segment: event.answerSegment,
        outcome: event.outcome,
        tools_used: event.toolsUsed,
        usage: { input_tokens: event.usage.inputTokens, output_tokens: event.usage.outputTokens },
        provider: event.provider,
        model: event.model,
        cost_usd: event.costUsd ?? null,
        confidence: event.confidence ?? null,
        timings: {
          time_to_first_token_ms: event.timings.timeToFirstTokenMs ?? null,
          total_ms: event.timings.totalMs,
          steps_ms: event.timings.steps,
        },
        ...(event.cacheHit ? { cache_hit: { similarity: event.cacheHit.similarity } } : {}),
        ...(event.blocked ? { blocked: event.blocked } : {}),
      };
    case "error":
      return { code: event.code, message: event.message, retryable: event.retryable };
  }
}

/** The names a `system_event` frame's `event` field takes; its `data` keys are snake_case like the rest. */
export type SystemEventName =
  | "provider_retry"
  | "provider_fallback"
  | "provider_skipped"
  | "max_tool_rounds"
  | "store_degraded"
  | "store_recovered"
  | "cache_lookup"
  | "guard"
  | "specialist"
  | "reasoning_chains"
  | "feedback_recorded";

function systemEvent(
  event: SystemEventName,
  message: string,
  data: Record<string, unknown>,
): ServerFrameContent<"system_event"> {
  return { event, message, data };
}

/** One server frame: a fresh message id and timestamp, the protocol, and the turn and message it answers. */
function envelope<Type extends ServerFrameType>(
  sessionId: string,
  seq: number,
  type: Type,
  content: ServerFrameContent<Type>,
  { turnId, replyTo }: { turnId?: string | undefined; replyTo?: string | undefined } = {},
): ServerFrameEnvelope<Type> {
  return {
    message_id: randomUUID(),
    session_id: sessionId,
    seq,
    timestamp: new Date().toISOString(),
    type,
    content,
    context: {
      protocol: protocolVersion,
      ...(turnId === undefined ? {} : { turn_id: turnId }),
      ...(replyTo === undefined ? {} : { reply_to: replyTo }),
    },
  } as ServerFrameEnvelope<Type>;
}

export function frameOf(sessionId: string, seq: number, event: AgentEvent, replyTo?: string): ServerFrameEnvelope {
  return envelope(sessionId, seq, frameTypeOf[event.type], frameContentOf(event), { turnId: event.turnId, replyTo });
}

export function errorFrame(
  sessionId: string,
  seq: number,
  code: ErrorCode,
  message: string,
  retryable = false,
  replyTo?: string,
): ServerFrameEnvelope<"error"> {
  return envelope(sessionId, seq, "error", { code, message, retryable }, { replyTo });
}

/** A `system_event` about the server rather than a turn (the session store degraded or recovered). */
export function serverEventFrame(
  sessionId: string,
  seq: number,
  event: SystemEventName,
  message: string,
  data: Record<string, unknown> = {},
  replyTo?: string,
): ServerFrameEnvelope<"system_event"> {
  return envelope(sessionId, seq, "system_event", systemEvent(event, message, data), { replyTo });
}

/**
 * The first frame on a connection to `/ws`, where the server chose the session: a `system_event`
 * `session_ready` whose `data.session_id` (also the envelope's) is the name to reconnect with. Sent to
 * that socket only; its `seq` is the session's last, so it takes no number from the stream.
 */
export function sessionReadyFrame(sessionId: string, seq: number): ServerFrameEnvelope<"system_event"> {
  return envelope(sessionId, seq, "system_event", {
    event: "session_ready",
    message: `New session ${sessionId}: reconnect to /ws/${sessionId} to resume it.`,
    data: { session_id: sessionId },
  });
}

const shortForm = z.object({ text: z.string() }).strict();
const userMessage = z.object({
  type: z.literal("user_message"),
  content: z.object({
    text: z.string(),
    /** Images with the message (base64 bytes), for models that read them; checked by the agent. */
    images: z
      .array(z.object({ media_type: z.string(), data: z.string() }).strict())
      .max(8)
      .optional(),
  }),
  message_id: z.string().min(1).max(128).optional(),
  session_id: z.string().optional(),
  timestamp: z.string().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
const cancel = z.object({ type: z.literal("cancel"), turn_id: z.string().optional() });
const feedback = z.object({ type: z.literal("feedback") }).passthrough();
const messageIdOf = (data: Record<string, unknown>) =>
  typeof data.message_id === "string" && data.message_id.length > 0 && data.message_id.length <= 128
    ? data.message_id
    : undefined;

export type ClientMessage =
  | { kind: "user_message"; text: string; messageId: string | undefined; options?: TurnOptions }
  | { kind: "cancel"; turnId: string | undefined }
  | { kind: "feedback"; body: FeedbackBody; messageId: string };

/** What a message's `context` may ask of its turn: reasoning chains, a specialist by name. */
export interface TurnOptions {
  reasoning?: "single" | "chains";
  specialist?: string;
  images?: ImageInput[];
}

const turnOptions = z.object({
  reasoning: z.enum(["single", "chains"]).optional(),
  specialist: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .optional(),
});

export type ParsedClientFrame =
  | { ok: true; message: ClientMessage }
  | { ok: false; message: string; messageId?: string | undefined };

/** Client frames nest far less than this (an envelope with a small `context`). */
export const maxFrameDepth = 16;

/** Parses one client frame: the seed's short form `{"text"}`, the full envelope, or `cancel`. */
export function parseClientFrame(raw: string): ParsedClientFrame {
  if (nestsDeeperThan(raw, maxFrameDepth))
    return { ok: false, message: `The frame nests objects and arrays deeper than ${maxFrameDepth} levels.` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, message: "The frame is not valid JSON." };
  }
  const short = shortForm.safeParse(data);
  if (short.success)
    return { ok: true, message: { kind: "user_message", text: short.data.text, messageId: undefined } };
  const full = userMessage.safeParse(data);
  if (full.success) {
    const asked = turnOptions.safeParse(full.data.context ?? {});
    if (!asked.success) {
      const issue = asked.error.issues[0]!;
      return {
        ok: false,
        message: `context.${issue.path.join(".")}: ${issue.message} (reasoning: "single" or "chains"; specialist: a specialist's name).`,
        messageId: full.data.message_id,
      };
    }
    const { reasoning, specialist } = asked.data;
    const images = full.data.content.images?.map((image) => ({
      mediaType: image.media_type as ImageInput["mediaType"],
      data: image.data,
    }));
    const options = {
      ...(reasoning ? { reasoning } : {}),
      ...(specialist ? { specialist } : {}),
      ...(images?.length ? { images } : {}),
    };
    return {
      ok: true,
      message: {
        kind: "user_message",
        text: full.data.content.text,
        messageId: full.data.message_id,
        ...(Object.keys(options).length ? { options } : {}),
      },
    };
  }
  const cancelled = cancel.safeParse(data);
  if (cancelled.success) return { ok: true, message: { kind: "cancel", turnId: cancelled.data.turn_id } };
  const rated = feedback.safeParse(data);
  if (rated.success) {
    // Feedback is always answered with a reply_to (its own id, or one made up): an error without one
    // would end another client's turn in flight.
    const messageId = messageIdOf(rated.data) ?? `feedback-${randomUUID()}`;
    const body = feedbackBody.safeParse(rated.data);
    if (body.success) return { ok: true, message: { kind: "feedback", body: body.data, messageId } };
    const problems = body.error.issues.map((issue) => issue.message).join("; ");
    return {
      ok: false,
      message: `Feedback needs {"turn_id", "rating": 1|0|-1 and/or "comment"}: ${problems}`,
      messageId,
    };
  }
  return {
    ok: false,
    message:
      'Expected {"text": "..."}, {"type": "user_message", "content": {"text": "..."}}, {"type": "cancel"} or {"type": "feedback", "turn_id": "...", "rating": 1}.',
  };
}
