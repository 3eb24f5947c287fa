import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall } from "./executor.ts";
import { ToolRegistry } from "./registry.ts";
import { closeWorkerPools, startToolWorkers } from "./worker-pool.ts";

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

  it("loads a tool's module when its workers start, before any call comes", async () => {
    const folder = mkdtempSync(join(tmpdir(), "rta-worker-preload-"));
    const mark = join(folder, "loaded");
    process.env.RTA_TEST_PRELOAD_MARK = mark;
    try {
      const preloaded = tool({
        name: "preloaded",
        description: "Says it is loaded.",
        inputSchema: z.object({}),
        // A memory limit of its own: a pool of its own, started here with this module.
        worker: {
          module: new URL("./worker-pool-preload.fixture.ts", import.meta.url),
          exportName: "loaded",
          maxMemoryMb: 96,
        },
        execute: inProcess,
      });
      startToolWorkers([preloaded]);
      // No call is made: a worker blocked waiting for calls (Atomics.wait) never finished the import,
      // and the first calculator call of a server waited ~2 s for mathjs.
      for (let attempt = 0; attempt < 600 && !existsSync(mark); attempt++) await sleep(50);
      expect(existsSync(mark)).toBe(true);
    } finally {
      delete process.env.RTA_TEST_PRELOAD_MARK;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("stops a running call when the turn is cancelled", async () => {
    const controller = new AbortController();
    const pending = call("spin", {}, controller.signal);
    setTimeout(() => controller.abort(), 200);
    expect(await pending).toMatchObject({ ok: false, error: { code: "TURN_ABORTED" } });
    expect(await call("echo", { text: "still here" })).toMatchObject({ ok: true });
  });
});
