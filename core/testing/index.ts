export {
  ScriptedModel,
  ScriptedModelError,
  splitIntoChunks,
  streamScriptedStep,
  type ScriptedStep,
  type ScriptedToolCall,
  tinyPng,
} from "./scripted-model.ts";
export { SyntheticModel, type SyntheticModelOptions } from "../models/synthetic-model.ts";
export { collectEvents, eventsOfType } from "./collect.ts";
export { echoModel } from "./echo-model.ts";
export {
  LoopbackApiServer,
  anthropicStream,
  openaiStream,
  type LoopbackReply,
  type RecordedRequest,
} from "./loopback-api-server.ts";
export { TcpProxy } from "./tcp-proxy.ts";
export { sampleTurn, turnIds } from "./turn-record.ts";
export { CountingEmbedder } from "./counting-embedder.ts";
