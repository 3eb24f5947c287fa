export * from "./embedder.ts";
export * from "./errors.ts";
export type * from "./events.ts";
export type * from "./logger.ts";
export * from "./messages.ts";
export type * from "./model.ts";
export type * from "./network.ts";
export * from "./store.ts";
export * from "./tool.ts";
