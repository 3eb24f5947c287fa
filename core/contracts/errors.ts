/**
 * One error hierarchy for the whole platform. Every error has a stable `code`; its fault, `retryable`,
 * HTTP status and WebSocket close code come from the code's row in the table (error-codes.ts), never
 * from the throw site. Subclasses accept only the codes of their fault, so a catch can tell faults apart
 * by class and a throw site cannot pair a code with the wrong one.
 */
import { type CodeOfFault, type ErrorCode, type ErrorFault, errorCodes } from "./error-codes.ts";
import { redactSecrets } from "./redact-secrets.ts";

export { type CodeOfFault, type ErrorCode, type ErrorCodeEntry, type ErrorFault, errorCodes } from "./error-codes.ts";

const marker = Symbol.for("realtime-agent.error");

export interface AgentErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class AgentError extends Error {
  readonly [marker] = true;
  readonly code: ErrorCode;
  readonly fault: ErrorFault;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AgentErrorOptions = {}) {
    // Messages travel to clients and logs: keys an upstream echoed back never do.
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fault = errorCodes[code].fault;
    this.retryable = errorCodes[code].retryable;
    this.details = options.details;
  }

  static isInstance(value: unknown): value is AgentError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }

  toJSON(): { code: ErrorCode; message: string; retryable: boolean; fault: ErrorFault } {
    return { code: this.code, message: this.message, retryable: this.retryable, fault: this.fault };
  }
}

/** An AgentError subclass that takes only the codes whose fault is `Fault` (the error table decides). */
function errorOfFault<Fault extends ErrorFault>() {
  return class extends AgentError {
    constructor(code: CodeOfFault<Fault>, message: string, options?: AgentErrorOptions) {
      super(code, message, options);
    }
  };
}

/** Caused by the client: its input, its session id, its frames, or its cancelling the turn. */
export class UserInputError extends errorOfFault<"user">() {}
export class ProviderError extends errorOfFault<"provider">() {}
export class ToolError extends errorOfFault<"tool">() {}
export class PluginError extends errorOfFault<"plugin">() {}
export class StoreError extends errorOfFault<"store">() {}
export class SafetyError extends errorOfFault<"safety">() {}

const byUser = Symbol.for("realtime-agent.cancelled-by-user");

/**
 * The reason to abort a turn with when its user stopped it (cancelled it, or left while it ran), as
 * opposed to the server stopping it (shutting down, the session deleted): the agent records the
 * former as "abandoned" feedback.
 */
export function userCancellation(): UserInputError {
  return Object.assign(new UserInputError("TURN_ABORTED", "The user cancelled the turn."), { [byUser]: true });
}

export function cancelledByUser(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as Record<symbol, unknown>)[byUser] === true;
}

/** Wraps anything thrown into an AgentError, keeping AgentErrors as they are. */
export function toAgentError(error: unknown): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (error instanceof Error && error.name === "AbortError") {
    return new UserInputError("TURN_ABORTED", "The turn was cancelled.", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AgentError("INTERNAL", message, { cause: error });
}

/** A thrown value's message, for logs and wrapped errors: its name when it has none (a failed connect's AggregateError). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
