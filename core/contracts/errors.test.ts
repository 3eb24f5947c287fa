import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AgentError,
  errorCodes,
  ProviderError,
  StoreError,
  toAgentError,
  ToolError,
  UserInputError,
} from "./errors.ts";

describe("errors", () => {
  it("documents every error code in docs/errors.md, and nothing else", () => {
    const page = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    const documented = [...page.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(errorCodes).sort());
  });

  it("recognises its own errors by marker, so copies from another module instance count too", () => {
    const error = new ToolError("TOOL_FAILED", "x");
    expect(AgentError.isInstance(error)).toBe(true);
    expect(AgentError.isInstance({ code: "TOOL_FAILED", message: "x", retryable: false })).toBe(false);
    expect(AgentError.isInstance(new Error("plain"))).toBe(false);
  });

  it("gives each subclass its fault and a sensible retryable default", () => {
    expect(new UserInputError("INPUT_EMPTY", "x")).toMatchObject({
      fault: "user",
      retryable: false,
      name: "UserInputError",
    });
    expect(new ProviderError("PROVIDER_TIMEOUT", "x", { retryable: true })).toMatchObject({
      fault: "provider",
      retryable: true,
    });
    expect(new StoreError("STORE_UNAVAILABLE", "x")).toMatchObject({ fault: "store", retryable: true });
  });

  it("wraps unknown throwables as INTERNAL and aborts as TURN_ABORTED", () => {
    expect(toAgentError("weird")).toMatchObject({ code: "INTERNAL", message: "weird" });
    expect(toAgentError(new DOMException("stop", "AbortError"))).toMatchObject({ code: "TURN_ABORTED" });
  });
});
