import { RealtimeClientError } from "./client-error.ts";
import { frameSchemas, isServerFrameType, type ServerFrame } from "./server-frames.ts";

/**
 * Decodes one server frame (the text of a WebSocket message). Throws a RealtimeClientError:
 * FRAME_NOT_JSON, FRAME_INVALID, or FRAME_TYPE_UNKNOWN for a well-formed frame of a newer type
 * (the error carries its `seq`; clients skip such frames). Fields this version does not know are dropped.
 */
export function parseServerFrame(data: string): ServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new RealtimeClientError("FRAME_NOT_JSON", "The server frame is not valid JSON.", { cause: error });
  }
  const type = typeof value === "object" && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== "string") throw new RealtimeClientError("FRAME_INVALID", "The server frame has no type.");
  if (!isServerFrameType(type)) {
    const seq = (value as { seq?: unknown }).seq;
    throw new RealtimeClientError("FRAME_TYPE_UNKNOWN", `Unknown server frame type "${type}".`, {
      ...(typeof seq === "number" ? { seq } : {}),
    });
  }
  const parsed = frameSchemas[type].safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "frame"}: ${issue.message}`);
    throw new RealtimeClientError("FRAME_INVALID", `Invalid ${type} frame: ${issues.join("; ")}`, {
      cause: parsed.error,
    });
  }
  return parsed.data as ServerFrame;
}
