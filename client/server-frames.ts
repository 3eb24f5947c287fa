import * as z from "zod/mini";

/**
 * The server → client frames of protocol rta.v1 (docs/protocol.md), as zod schemas and the types they
 * describe. The server's encoder (server/protocol.ts) is typed against these, and `parseServerFrame`
 * decodes with them, so encoder and decoder cannot drift. Unknown fields are dropped when parsing:
 * additive changes keep rta.v1, and a client ignores what it does not know. zod/mini (the same zod,
 * functional API) keeps the browser bundle small: the classic `z` object pulls in every locale.
 */
export const protocolVersion = "rta.v1";

/** A typed error: an `error` frame's content, and a failed tool result's `error`. */
const errorSchema = z.object({ code: z.string(), message: z.string(), retryable: z.boolean() });

/** The content of each frame type, by type. */
export const frameContentSchemas = {
  turn_start: z.object({ turn_id: z.string() }),
  agent_response_chunk: z.object({
    text: z.string(),
    /** Which model round of the turn produced the text: 0 first, +1 after each tool round. */
    segment: z.int().check(z.nonnegative()),
  }),
  tool_call: z.object({ call_id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
  tool_result: z.object({
    call_id: z.string(),
    name: z.string(),
    result: z.optional(z.unknown()),
    error: z.optional(errorSchema),
    duration_ms: z.number(),
  }),
  system_event: z.object({
    event: z.string(),
    message: z.string(),
    data: z.optional(z.record(z.string(), z.unknown())),
  }),
  agent_response_complete: z.object({
    text: z.string(),
    /** Which segment `text` is: the last model round the turn reached (earlier segments preceded tool calls). */
    answer_segment: z.int().check(z.nonnegative()),
    outcome: z.enum(["completed", "aborted"]),
    tools_used: z.array(z.string()),
    usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
    provider: z.string(),
    model: z.string(),
    cost_usd: z.nullable(z.number()),
    /** How likely the answer is right (0 … 1); null when the model exposes no token probabilities. Absent from older servers. */
    confidence: z.optional(z.nullable(z.number().check(z.minimum(0), z.maximum(1)))),
    timings: z.object({
      time_to_first_token_ms: z.nullable(z.number()),
      total_ms: z.number(),
      steps_ms: z.record(z.string(), z.number()),
    }),
    /** Present when the answer came from the semantic cache. */
    cache_hit: z.optional(z.object({ similarity: z.number() })),
    blocked: z.optional(
      z.object({ stage: z.enum(["input", "tool-result", "output"]), category: z.optional(z.string()) }),
    ),
  }),
  error: errorSchema,
} as const;

export type ServerFrameType = keyof typeof frameContentSchemas;
export const serverFrameTypes = Object.keys(frameContentSchemas) as ServerFrameType[];

export function isServerFrameType(type: string): type is ServerFrameType {
  return Object.hasOwn(frameContentSchemas, type);
}

export type ServerFrameContentByType = { [Type in ServerFrameType]: z.output<(typeof frameContentSchemas)[Type]> };
/** The content of any frame type (what the encoder produces before it knows which type it has). */
export type ServerFrameContent<Type extends ServerFrameType = ServerFrameType> = ServerFrameContentByType[Type];

export const frameContextSchema = z.object({
  protocol: z.string(),
  turn_id: z.optional(z.string()),
  /** The `message_id` of the client message this frame answers, when that message carried one. */
  reply_to: z.optional(z.string()),
});
export type FrameContext = z.output<typeof frameContextSchema>;

/** The envelope every server frame has. `seq` counts 1, 2, 3, … per session. */
export interface ServerFrameEnvelope<Type extends ServerFrameType = ServerFrameType> {
  message_id: string;
  session_id: string;
  seq: number;
  timestamp: string;
  type: Type;
  content: ServerFrameContentByType[Type];
  context: FrameContext;
}

/** One server frame: a union discriminated by `type`, so checking `type` types `content`. */
export type ServerFrame = { [Type in ServerFrameType]: ServerFrameEnvelope<Type> }[ServerFrameType];

export type TurnStartFrame = ServerFrameEnvelope<"turn_start">;
export type AgentResponseChunkFrame = ServerFrameEnvelope<"agent_response_chunk">;
export type ToolCallFrame = ServerFrameEnvelope<"tool_call">;
export type ToolResultFrame = ServerFrameEnvelope<"tool_result">;
export type SystemEventFrame = ServerFrameEnvelope<"system_event">;
export type AgentResponseCompleteFrame = ServerFrameEnvelope<"agent_response_complete">;
export type ErrorFrame = ServerFrameEnvelope<"error">;
/** The last frame of every turn. */
export type TurnEndFrame = AgentResponseCompleteFrame | ErrorFrame;

const envelopeShape = {
  message_id: z.string(),
  session_id: z.string(),
  seq: z.int().check(z.nonnegative()),
  timestamp: z.string(),
  context: frameContextSchema,
};

function frameSchemaOf<Type extends ServerFrameType>(type: Type) {
  return z.object({ ...envelopeShape, type: z.literal(type), content: frameContentSchemas[type] });
}

/** The schema of each whole frame, by type. */
export const frameSchemas = {
  turn_start: frameSchemaOf("turn_start"),
  agent_response_chunk: frameSchemaOf("agent_response_chunk"),
  tool_call: frameSchemaOf("tool_call"),
  tool_result: frameSchemaOf("tool_result"),
  system_event: frameSchemaOf("system_event"),
  agent_response_complete: frameSchemaOf("agent_response_complete"),
  error: frameSchemaOf("error"),
} as const satisfies { [Type in ServerFrameType]: unknown };

/** The schema of any server frame. */
export const serverFrameSchema = z.discriminatedUnion("type", [
  frameSchemas.turn_start,
  frameSchemas.agent_response_chunk,
  frameSchemas.tool_call,
  frameSchemas.tool_result,
  frameSchemas.system_event,
  frameSchemas.agent_response_complete,
  frameSchemas.error,
]);

// The schema and the ServerFrame type describe the same frames.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.output<typeof serverFrameSchema>, ServerFrame> = true;
void schemaMatchesType;

export function isTurnEnd(frame: ServerFrame): frame is TurnEndFrame {
  return frame.type === "agent_response_complete" || frame.type === "error";
}
