export { ScriptedModel, ScriptedModelError, splitIntoChunks, streamScriptedStep, type ScriptedStep, type ScriptedToolCall } from "./scripted-model.ts";
export { SyntheticModel, type SyntheticModelOptions } from "./synthetic-model.ts";
export { collectEvents, eventsOfType } from "./collect.ts";
