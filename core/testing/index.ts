export { ScriptedModel, ScriptedModelError, splitIntoChunks, type ScriptedStep, type ScriptedToolCall } from "./scripted-model.ts";
export { collectEvents, eventsOfType } from "./collect.ts";
