/**
 * realtime-agent/client: the typed client of the WebSocket protocol rta.v1, for Node and browsers.
 * Nothing here imports the rest of the project, so it bundles for the browser on its own.
 */
export {
  protocolVersion,
  frameContentSchemas,
  frameContextSchema,
  frameSchemas,
  serverFrameSchema,
  serverFrameTypes,
  isServerFrameType,
  isTurnEnd,
  type ServerFrameType,
  type ServerFrameContentByType,
  type ServerFrameContent,
  type FrameContext,
  type ServerFrameEnvelope,
  type ServerFrame,
  type TurnStartFrame,
  type AgentResponseChunkFrame,
  type ToolCallFrame,
  type ToolResultFrame,
  type SystemEventFrame,
  type AgentResponseCompleteFrame,
  type ErrorFrame,
  type TurnEndFrame,
} from "./server-frames.ts";
export { parseServerFrame } from "./parse-server-frame.ts";
export {
  userMessageFrame,
  cancelFrame,
  feedbackFrame,
  type UserMessageFrame,
  type CancelFrame,
  type FeedbackFrame,
  type ClientFrame,
  type TurnOptions,
  type FrameImage,
} from "./client-frames.ts";
export { RealtimeClientError, clientErrorCodes, type ClientErrorCode } from "./client-error.ts";
export { Turn } from "./turn.ts";
export {
  connect,
  sessionUrl,
  RealtimeClient,
  type ConnectOptions,
  type ResumeOptions,
  type ConnectionStatus,
} from "./realtime-client.ts";
export type { WebSocketConstructor, WebSocketLike } from "./websocket-constructor.ts";
