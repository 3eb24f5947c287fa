import { RealtimeClientError } from "./client-error.ts";
import { type FrameContext, frameContentSchemas, isServerFrameType, type ServerFrame } from "./server-frames.ts";

/**
 * Decodes one server frame (the text of a WebSocket message). Throws a RealtimeClientError:
 * FRAME_NOT_JSON, FRAME_INVALID, or FRAME_TYPE_UNKNOWN for a well-formed frame of a newer type
 * (the error carries its `seq`; clients skip such frames). Fields this version does not know are dropped.
 *
 * The envelope's seven fields are checked by hand and the content with its zod schema: the same result as
 * `serverFrameSchema` (a test holds them together) at a third of the cost, which matters to the load
 * generator, whose decoding competes with the server it measures for the same cores.
 */
export function parseServerFrame(data: string): ServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new RealtimeClientError("FRAME_NOT_JSON", "The server frame is not valid JSON.", { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new RealtimeClientError("FRAME_INVALID", "The server frame is not a JSON object.");
  const frame = value as Record<string, unknown>;
  const wrongField = envelopeProblem(frame);
  if (wrongField !== undefined)
    throw new RealtimeClientError("FRAME_INVALID", `The server frame's ${wrongField} is missing or wrong.`);
  const { message_id, session_id, seq, timestamp, type, content, context } = frame;
  const frameType = type as string;
  if (!isServerFrameType(frameType))
    throw new RealtimeClientError("FRAME_TYPE_UNKNOWN", `Unknown server frame type "${frameType}".`, {
      seq: seq as number,
    });
  const parsed = frameContentSchemas[frameType].safeParse(content);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${["content", ...issue.path].join(".")}: ${issue.message}`);
    throw new RealtimeClientError("FRAME_INVALID", `Invalid ${frameType} frame: ${issues.join("; ")}`, {
      cause: parsed.error,
    });
  }
  const { protocol, turn_id, reply_to } = context as FrameContext;
  return {
    message_id,
    session_id,
    seq,
    timestamp,
    type: frameType,
    content: parsed.data,
    context: {
      protocol,
      ...(turn_id === undefined ? {} : { turn_id }),
      ...(typeof reply_to === "string" ? { reply_to } : {}),
    },
  } as ServerFrame;
}

/** The first envelope field that is missing or of the wrong type, if any. */
function envelopeProblem(frame: Record<string, unknown>): string | undefined {
  if (typeof frame.message_id !== "string") return "message_id";
  if (typeof frame.session_id !== "string") return "session_id";
  if (typeof frame.seq !== "number" || !Number.isSafeInteger(frame.seq) || frame.seq < 0) return "seq";
  if (typeof frame.timestamp !== "string") return "timestamp";
  if (typeof frame.type !== "string") return "type";
  const context = frame.context;
  if (typeof context !== "object" || context === null || Array.isArray(context)) return "context";
  const { protocol, turn_id } = context as Record<string, unknown>;
  if (typeof protocol !== "string") return "context.protocol";
  if (turn_id !== undefined && typeof turn_id !== "string") return "context.turn_id";
  return undefined;
}
