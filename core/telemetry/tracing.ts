import { type Attributes, context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { AgentEvent } from "../contracts/events.ts";
import type { ToolCallRequest } from "../contracts/messages.ts";

/**
 * OpenTelemetry spans of a turn: `agent.turn`, with a `model.call` per model round and a `tool.call`
 * per tool call under it. Through the API alone they cost nothing: a process that registers a tracer
 * provider (runtime/tracing.ts, when OTEL_EXPORTER_OTLP_ENDPOINT is set) gets them exported.
 */
const tracer = () => trace.getTracer("realtime-agent");

export function startTurnSpan(attributes: Attributes): Span {
  return tracer().startSpan("agent.turn", { attributes });
}

export function startChildSpan(parent: Span, name: string, attributes: Attributes): Span {
  return tracer().startSpan(name, { attributes }, trace.setSpan(context.active(), parent));
}

/** Ends a span, marked as failed with the error's code and message when there is one. */
export function endSpan(span: Span, error?: { code?: string; message: string }): void {
  if (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    if (error.code) span.setAttribute("error.type", error.code);
  }
  span.end();
}

/** The trace id of a recording span, for log lines (undefined when nothing records). */
export function traceIdOf(span: Span): string | undefined {
  return span.isRecording() ? span.spanContext().traceId : undefined;
}

/**
 * A round of tool calls with a `tool.call` span per call, ended as its `tool-result` arrives (failed
 * when the tool failed); calls with no result (an aborted round) end with the round.
 */
export async function* tracedToolRound<Result>(
  round: AsyncGenerator<AgentEvent, Result>,
  calls: readonly ToolCallRequest[],
  parent: Span,
): AsyncGenerator<AgentEvent, Result> {
  const spans = new Map(
    calls.map((call) => [
      call.callId,
      startChildSpan(parent, "tool.call", { "tool.name": call.name, "tool.call_id": call.callId }),
    ]),
  );
  let finished = false;
  try {
    for (;;) {
      const next = await round.next();
      if (next.done) {
        finished = true;
        return next.value;
      }
      const event = next.value;
      if (event.type === "tool-result") {
        const span = spans.get(event.callId);
        if (span) {
          span.setAttribute("tool.duration_ms", event.durationMs);
          endSpan(span, event.error);
          spans.delete(event.callId);
        }
      }
      yield event;
    }
  } finally {
    try {
      // Stopped early (the turn aborted): the round's own cleanup runs, as it would under `yield*`.
      if (!finished) await round.return(undefined as Result);
    } finally {
      for (const span of spans.values()) endSpan(span, { message: "no result" });
    }
  }
}
