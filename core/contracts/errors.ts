/**
 * One error hierarchy for the whole platform. Every error has a stable `code` (listed in docs/errors.md,
 * checked by a test) and says whether retrying the same operation may succeed.
 */
const marker = Symbol.for("realtime-agent.error");

export const errorCodes = {
  INPUT_EMPTY: "The message has no text.",
  INPUT_TOO_LONG: "The message is longer than the configured limit.",
  INPUT_MALFORMED: "A frame or request could not be parsed or does not match the protocol.",
  INPUT_TOO_LARGE: "A frame is larger than the configured size limit.",
  SESSION_INVALID: "The session id is missing or not allowed.",
  PROVIDER_UNAVAILABLE: "The model provider could not be reached or is not ready (for example: no model file).",
  PROVIDER_FAILED: "The model provider failed while answering.",
  PROVIDER_TIMEOUT: "The model provider did not answer in time.",
  EMBEDDER_UNAVAILABLE: "The embedder's model files are missing or cannot be loaded.",
  EMBEDDER_FAILED: "The embedder failed while embedding texts.",
  TOOL_NOT_FOUND: "The model asked for a tool that is not registered.",
  TOOL_INVALID_INPUT: "The tool's arguments do not match its input schema.",
  TOOL_FAILED: "The tool threw an error while running.",
  TOOL_TIMEOUT: "The tool did not finish within its timeout.",
  PLUGIN_INVALID: "A plugin or tool definition is invalid (bad name, bad schema).",
  PLUGIN_DUPLICATE_TOOL: "Two registered tools have the same name.",
  PLUGIN_CONFIG_INVALID: "A plugin's configuration is missing a value or a secret, or has a wrong one.",
  STORE_UNAVAILABLE: "The session store could not be reached.",
  SAFETY_BLOCKED: "A guard blocked the text.",
  TURN_ABORTED: "The turn was cancelled through its AbortSignal.",
  TURN_MAX_ROUNDS: "The turn used all its tool rounds.",
  INTERNAL: "An unexpected internal error.",
} as const;

export type ErrorCode = keyof typeof errorCodes;
export type ErrorFault = "user" | "provider" | "tool" | "plugin" | "store" | "safety" | "internal";

export interface AgentErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AgentError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly fault: ErrorFault;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, fault: ErrorFault, options: AgentErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fault = fault;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }

  static isInstance(value: unknown): value is AgentError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): { code: ErrorCode; message: string; retryable: boolean; fault: ErrorFault } {
    return { code: this.code, message: this.message, retryable: this.retryable, fault: this.fault };
  }
}

export class UserInputError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "user", options);
  }
}

export class ProviderError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "provider", options);
  }
}

export class ToolError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "tool", options);
  }
}

export class PluginError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "plugin", options);
  }
}

export class StoreError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "store", { retryable: true, ...options });
  }
}

export class SafetyError extends AgentError {
  constructor(code: ErrorCode, message: string, options?: AgentErrorOptions) {
    super(code, message, "safety", options);
  }
}

/** Wraps anything thrown into an AgentError, keeping AgentErrors as they are. */
export function toAgentError(error: unknown): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new AgentError("TURN_ABORTED", "The turn was cancelled.", "user", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AgentError("INTERNAL", message, "internal", { cause: error });
}
