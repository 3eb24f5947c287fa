import { describe, expect, expectTypeOf, it } from "vitest";
import { type CodeOfFault, type ErrorCode, type ErrorCodeEntry, type ErrorFault, errorCodes } from "./error-codes.ts";
import {
  AgentError,
  type AgentErrorOptions,
  PluginError,
  ProviderError,
  SafetyError,
  StoreError,
  toAgentError,
  ToolError,
  UserInputError,
} from "./errors.ts";

const classOfFault: Record<ErrorFault, new (code: never, message: string, options?: AgentErrorOptions) => AgentError> =
  {
    user: UserInputError,
    provider: ProviderError,
    tool: ToolError,
    plugin: PluginError,
    store: StoreError,
    safety: SafetyError,
    internal: AgentError,
  };
const rows = Object.entries(errorCodes) as [ErrorCode, ErrorCodeEntry][];

describe("errors", () => {
  it("recognises its own errors by marker, so copies from another module instance count too", () => {
    const error = new ToolError("TOOL_FAILED", "x");
    expect(AgentError.isInstance(error)).toBe(true);
    expect(AgentError.isInstance({ code: "TOOL_FAILED", message: "x", retryable: false })).toBe(false);
    expect(AgentError.isInstance(new Error("plain"))).toBe(false);
  });

  it.each(rows)("makes %s with the fault and retryable of its row, by the class of its fault", (code, entry) => {
    const ErrorClass = classOfFault[entry.fault];
    const error = new ErrorClass(code as never, "message", { details: { at: "test" } });
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toMatchObject({
      name: ErrorClass.name,
      code,
      fault: entry.fault,
      retryable: entry.retryable,
      details: { at: "test" },
    });
    expect(error.toJSON()).toEqual({ code, message: "message", retryable: entry.retryable, fault: entry.fault });
  });

  it("lets each subclass take only the codes of its fault (checked by tsc)", () => {
    expectTypeOf<ConstructorParameters<typeof ProviderError>[0]>().toEqualTypeOf<CodeOfFault<"provider">>();
    expectTypeOf<ConstructorParameters<typeof UserInputError>[0]>().toEqualTypeOf<CodeOfFault<"user">>();
    expectTypeOf<ConstructorParameters<typeof PluginError>[0]>().toEqualTypeOf<CodeOfFault<"plugin">>();
    expectTypeOf<"TURN_ABORTED">().toExtend<CodeOfFault<"user">>();
    expectTypeOf<"TURN_ABORTED">().not.toExtend<CodeOfFault<"provider">>();
    expectTypeOf<"INPUT_TOO_LONG">().not.toExtend<CodeOfFault<"provider">>();
    expectTypeOf<"PLUGIN_INVALID">().not.toExtend<CodeOfFault<"tool">>();
    const wrongPairings = () => [
      // @ts-expect-error an abort is the user's doing, not the provider's
      new ProviderError("TURN_ABORTED", "x"),
      // @ts-expect-error a conversation too long for the model is PROVIDER_CONTEXT_OVERFLOW
      new ProviderError("INPUT_TOO_LONG", "x"),
      // @ts-expect-error a plugin fails at registration, never with a tool's code
      new PluginError("TOOL_FAILED", "x"),
    ];
    expectTypeOf(wrongPairings).toBeFunction();
  });

  it("wraps unknown throwables as INTERNAL and aborts as TURN_ABORTED, and keeps AgentErrors as they are", () => {
    expect(toAgentError("weird")).toMatchObject({ code: "INTERNAL", message: "weird", fault: "internal" });
    expect(toAgentError(new TypeError("bug"))).toMatchObject({ code: "INTERNAL", retryable: false });
    expect(toAgentError(new DOMException("stop", "AbortError"))).toMatchObject({
      code: "TURN_ABORTED",
      fault: "user",
      retryable: false,
    });
    const timeout = new ProviderError("PROVIDER_TIMEOUT", "slow");
    expect(toAgentError(timeout)).toBe(timeout);
  });
});

describe("the error table", () => {
  const faultOfPrefix: Record<string, readonly ErrorFault[]> = {
    INPUT: ["user"],
    SESSION: ["user"],
    PROFILE: ["user"],
    CONNECTION: ["user"],
    AUTH: ["user"],
    RATE: ["user"],
    TURN: ["user", "provider"],
    PROVIDER: ["provider"],
    // The embedder is a model too: its failures are the provider's fault (ProviderError).
    EMBEDDER: ["provider"],
    // The speech engine (espeak-ng) is a provider of audio.
    SPEECH: ["provider"],
    TOOL: ["tool"],
    PLUGIN: ["plugin"],
    STORE: ["store"],
    SAFETY: ["safety"],
    SERVER: ["internal"],
    INTERNAL: ["internal"],
  };

  it.each(rows)("%s: its prefix names its fault, and its statuses are real ones", (code, entry) => {
    expect(faultOfPrefix[code.split("_")[0]!]).toContain(entry.fault);
    expect(entry.httpStatus).toBeGreaterThanOrEqual(400);
    expect(entry.httpStatus).toBeLessThan(600);
    if (entry.webSocketCloseCode !== null) {
      expect(entry.webSocketCloseCode).toBeGreaterThanOrEqual(1000);
      expect(entry.webSocketCloseCode).toBeLessThan(5000);
    }
    expect(entry.meaning).toMatch(/^[A-Z].*\.$/);
  });

  it("never retries what the client sent, and always retries what timed out or was unreachable", () => {
    for (const [code, entry] of rows) {
      if (code.startsWith("INPUT_")) expect(entry.retryable, code).toBe(false);
      if (/_(TIMEOUT|UNAVAILABLE|RATE_LIMITED)$/.test(code)) expect(entry.retryable, code).toBe(true);
    }
  });
});
