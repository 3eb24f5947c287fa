import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ToolError } from "../contracts/errors.ts";
import { tool } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall, executeToolCalls } from "./executor.ts";
import { ToolRegistry } from "./registry.ts";

const options = (registry: ToolRegistry) => ({
  registry,
  sessionId: "s",
  signal: new AbortController().signal,
  logger: silentLogger,
});
const registryOf = (...tools: Parameters<typeof tool>[0][]) =>
  new ToolRegistry().register({ name: "executor-test", version: "1.0.0", tools });

describe("tool executor", () => {
  it("retries a retryable failure of an idempotent tool, and only of an idempotent one", async () => {
    let idempotentAttempts = 0;
    let unsafeAttempts = 0;
    const flaky = (name: string, idempotent: boolean, count: () => number) =>
      tool({
        name,
        description: "Fails once.",
        inputSchema: z.object({}),
        idempotent,
        retries: 2,
        execute: () => {
          if (count() === 1) throw new ToolError("TOOL_UNAVAILABLE", "blip");
          return "ok";
        },
      });
    const registry = registryOf(
      flaky("safe", true, () => ++idempotentAttempts),
      flaky("unsafe", false, () => ++unsafeAttempts),
    );
    expect(await executeToolCall({ callId: "1", name: "safe", arguments: {} }, options(registry))).toMatchObject({
      ok: true,
      result: "ok",
    });
    expect(idempotentAttempts).toBe(2);
    expect(await executeToolCall({ callId: "2", name: "unsafe", arguments: {} }, options(registry))).toMatchObject({
      ok: false,
      error: { message: "blip" },
    });
    expect(unsafeAttempts).toBe(1);
  });

  it("refuses results over the output size limit", async () => {
    const registry = registryOf(
      tool({
        name: "big",
        description: "Too much.",
        inputSchema: z.object({}),
        maxOutputBytes: 100,
        execute: () => "x".repeat(500),
      }),
    );
    const outcome = await executeToolCall({ callId: "1", name: "big", arguments: {} }, options(registry));
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/returned 502 bytes; the limit is 100/);
  });

  it("checks results against the output schema", async () => {
    const registry = registryOf(
      tool({
        name: "typed",
        description: "Lies.",
        inputSchema: z.object({}),
        outputSchema: z.object({ n: z.number() }),
        execute: () => ({ n: "one" }) as never,
      }),
    );
    const outcome = await executeToolCall({ callId: "1", name: "typed", arguments: {} }, options(registry));
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/does not match its output schema/);
  });

  it("batches same-tool calls that arrive within the window into one executeBatch", async () => {
    const batches: number[][] = [];
    const square = tool({
      name: "square",
      description: "Squares numbers, many at a time.",
      inputSchema: z.object({ n: z.number() }),
      batchWindowMs: 30,
      execute: ({ n }) => n * n,
      executeBatch: async (inputs) => {
        batches.push(inputs.map((input) => input.n));
        return inputs.map((input) => input.n * input.n);
      },
    });
    const registry = registryOf(square);
    const calls = [1, 2, 3].map((n) => ({ callId: `c${n}`, name: "square", arguments: { n } }));
    const outcomes = [];
    for await (const outcome of executeToolCalls(calls, options(registry))) outcomes.push(outcome);
    const late = await executeToolCall({ callId: "late", name: "square", arguments: { n: 4 } }, options(registry));
    expect(batches).toEqual([[1, 2, 3], [4]]);
    expect(outcomes.map((outcome) => outcome.ok && outcome.result).sort()).toEqual([1, 4, 9]);
    expect(late).toMatchObject({ ok: true, result: 16 });
  });
});
