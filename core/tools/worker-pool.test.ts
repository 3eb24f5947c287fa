import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall } from "./executor.ts";
import { ToolRegistry } from "./registry.ts";
import { closeWorkerPools } from "./worker-pool.ts";

const fixture = new URL("./worker-pool.fixture.ts", import.meta.url);
const inProcess = () => {
  throw new Error("execute ran in the server's thread");
};
const echo = tool({
  name: "echo",
  description: "Echoes.",
  inputSchema: z.object({ text: z.string() }),
  worker: { module: fixture, exportName: "echo" },
  timeoutMs: 20_000,
  execute: inProcess,
});
const spin = tool({
  name: "spin",
  description: "Never ends.",
  inputSchema: z.object({}),
  worker: { module: fixture, exportName: "spin" },
  timeoutMs: 1_500,
  execute: inProcess,
});
const registry = new ToolRegistry().register({ name: "workers", version: "1.0.0", tools: [echo, spin] });
const call = (name: string, args: Record<string, unknown>, signal = new AbortController().signal) =>
  executeToolCall(
    { callId: `call-${name}`, name, arguments: args },
    { registry, sessionId: "session-w", signal, logger: silentLogger, language: "es" },
  );

afterAll(() => closeWorkerPools());

describe("tools that run in a worker", () => {
  it("runs the worker's export, not execute, with the parsed input and the call's plain context", async () => {
    expect(await call("echo", { text: "hola" })).toMatchObject({
      ok: true,
      result: { input: { text: "hola" }, context: { sessionId: "session-w", callId: "call-echo", language: "es" } },
    });
  });

  it("times out a call that never ends, and the pool answers the next call", async () => {
    expect(await call("spin", {})).toMatchObject({ ok: false, error: { code: "TOOL_TIMEOUT" } });
    expect(await call("echo", { text: "again" })).toMatchObject({ ok: true, result: { input: { text: "again" } } });
  });

  it("stops a running call when the turn is cancelled", async () => {
    const controller = new AbortController();
    const pending = call("spin", {}, controller.signal);
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ ok: false, error: { code: "TURN_ABORTED" } });
    expect(await call("echo", { text: "still here" })).toMatchObject({ ok: true });
  });
});
