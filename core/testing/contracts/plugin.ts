import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Plugin } from "../../contracts/tool.ts";
import { silentLogger } from "../../telemetry/logger.ts";
import { executeToolCall } from "../../tools/executor.ts";
import { ToolRegistry } from "../../tools/registry.ts";
import { invalidArgumentsFor } from "./invalid-arguments.ts";
import { ExecutionWatcher } from "./execution-watcher.ts";

export interface PluginContractCall {
  tool: string;
  arguments: Record<string, unknown>;
  /** Checks the result; an `expect` that throws fails the case. */
  check?: (result: unknown) => void;
}

export interface PluginContractOptions {
  /**
   * The configuration to register the plugin with, or a function that returns it when the contract
   * registers the plugin (after the test file's `beforeAll` hooks have started its loopback servers).
   */
  config?: unknown;
  /** Calls to make, with a check of each result. */
  calls?: PluginContractCall[];
  /** Run each tool's worked examples too (default true; turn off when they need a service the test does not replay). */
  runExamples?: boolean;
  /**
   * A call that never finishes by itself (its loopback server accepts the request and never answers;
   * configure the plugin's timeouts above 20 s), to check that the tool's own work stops when the turn
   * is cancelled. `{ skip: "why" }` for plugins with nothing to cancel.
   */
  cancellableCall?: { tool: string; arguments: Record<string, unknown> } | { skip: string };
  /** The suite's title when `plugin` is a factory (a plugin object is titled by its name and version). */
  title?: string;
}

/**
 * A plugin, or a function that makes one (plugins that connect first, like MCP). The contract runs
 * `init` when it registers the plugin, and `close` at the end for a plugin it made; a plugin given as
 * an object is the caller's to close.
 */
export type PluginUnderTest = Plugin | (() => Plugin | Promise<Plugin>);

/** How long a cancelled tool may take to stop its own work (generous: a loopback abort takes milliseconds). */
const cancelledToolStopsWithinMs = 20_000;

/**
 * The checks every plugin should pass, as a vitest suite: it registers with its configuration; each
 * tool shows the model a description and an object schema that survives as JSON Schema, declares its
 * timeout, cache TTL and network hosts, has examples that match its schema, refuses bad input with
 * TOOL_INVALID_INPUT before its code runs, and stops its own work when the turn is cancelled; its
 * examples and the given calls succeed.
 *
 *   runPluginContract(myPlugin, { config: { apiKey: "test" }, calls: [{ tool: "greet", arguments: { name: "Ada" } }] });
 */
export function runPluginContract(plugin: PluginUnderTest, options: PluginContractOptions = {}): void {
  const title =
    typeof plugin === "function" ? (options.title ?? "plugin from a factory") : `${plugin.name}@${plugin.version}`;
  describe(`plugin contract: ${title}`, () => {
    const watcher = new ExecutionWatcher();
    let made: Plugin | undefined;
    let registry: ToolRegistry | undefined;
    const call = (tool: string, argumentsOfCall: unknown, signal = new AbortController().signal) =>
      executeToolCall(
        { callId: "contract", name: tool, arguments: argumentsOfCall as Record<string, unknown> },
        { registry: registered(), sessionId: "contract", signal, logger: silentLogger },
      );
    const registered = () => {
      if (!registry) throw new Error("the plugin did not register (see the first case)");
      return registry;
    };

    beforeAll(async () => {
      if (typeof plugin === "function") made = await plugin();
    });
    afterAll(async () => {
      if (made) await (registry ? registry.close() : made.close?.());
    });

    it("registers with its configuration and initialises", async () => {
      const subject = made ?? (plugin as Plugin);
      const config = typeof options.config === "function" ? options.config() : options.config;
      registry = new ToolRegistry().register(watcher.watch(subject), config);
      await registry.init();
      expect(registry.list().length).toBeGreaterThan(0);
    });

    it("describes every tool to the model: description and an object schema that survives as JSON", () => {
      for (const { tool, definition } of registered().list()) {
        expect(definition.description.length, `${definition.name} needs a description`).toBeGreaterThan(10);
        expect(["object", "dict"]).toContain(definition.inputSchema.type);
        expect(
          JSON.parse(JSON.stringify(definition.inputSchema)),
          `${tool.name}: its JSON Schema is plain JSON`,
        ).toEqual(definition.inputSchema);
        if (!tool.inputJsonSchema) {
          expect(() => z.toJSONSchema(tool.inputSchema, { target: "draft-7", io: "input" })).not.toThrow();
        }
      }
    });

    it("declares timeout, cache TTL and network hosts", () => {
      for (const { tool } of registered().list()) {
        expect(tool.timeoutMs, `${tool.name}: set timeoutMs`).toBeGreaterThan(0);
        expect(Number.isFinite(tool.timeoutMs), `${tool.name}: timeoutMs must be finite`).toBe(true);
        expect(tool.cacheTtlMs, `${tool.name}: set cacheTtlMs (0 for time-sensitive data)`).toBeGreaterThanOrEqual(0);
        expect(
          Array.isArray(tool.networkHosts),
          `${tool.name}: declare networkHosts ([] when it never uses the network)`,
        ).toBe(true);
        for (const host of tool.networkHosts ?? []) {
          expect(host, `${tool.name}: network hosts are host names, not URLs`).toMatch(/^[^\s/]+$/);
        }
      }
    });

    it("has worked examples that match its input schema", () => {
      for (const { tool } of registered().list()) {
        for (const example of tool.examples ?? []) {
          expect(example.request.trim().length, `${tool.name}: an example needs its request`).toBeGreaterThan(0);
          const parsed = tool.inputSchema.safeParse(example.arguments);
          expect(parsed.success, `${tool.name} example "${example.request}" does not match the schema`).toBe(true);
        }
      }
    });

    it("refuses arguments its schema rejects with TOOL_INVALID_INPUT, without running its code", async (context) => {
      let checked = 0;
      for (const { tool, definition } of registered().list()) {
        const invalid = invalidArgumentsFor(definition.inputSchema);
        if (!invalid) continue;
        const runsBefore = watcher.executions.length;
        const outcome = await call(tool.name, invalid);
        expect(outcome, `${tool.name}(${JSON.stringify(invalid)})`).toMatchObject({
          ok: false,
          error: { code: "TOOL_INVALID_INPUT" },
        });
        expect(watcher.executions.length, `${tool.name} ran on invalid input`).toBe(runsBefore);
        checked++;
      }
      if (checked === 0) context.skip("no tool has a required or typed property to get wrong");
    });

    if (options.runExamples ?? true) {
      it("runs each tool's worked examples", async () => {
        for (const { tool } of registered().list()) {
          for (const example of tool.examples ?? []) {
            const outcome = await call(tool.name, example.arguments);
            expect(
              outcome.ok,
              `${tool.name} example "${example.request}": ${outcome.ok ? "" : outcome.error.message}`,
            ).toBe(true);
          }
        }
      });
    }

    const cancellable = options.cancellableCall;
    const skipCancel = !cancellable ? "no cancellableCall given" : "skip" in cancellable ? cancellable.skip : undefined;
    it.skipIf(skipCancel !== undefined)(
      `stops its own work when the turn is cancelled${skipCancel ? ` (skipped: ${skipCancel})` : ""}`,
      async () => {
        if (!cancellable || "skip" in cancellable) return;
        const timeoutMs = registered().get(cancellable.tool)?.tool.timeoutMs ?? 0;
        expect(
          timeoutMs,
          `configure ${cancellable.tool}'s timeout above ${cancelledToolStopsWithinMs} ms for this case, so that only the cancellation can stop it`,
        ).toBeGreaterThan(cancelledToolStopsWithinMs);
        const controller = new AbortController();
        const started = watcher.nextStart();
        const outcome = call(cancellable.tool, cancellable.arguments, controller.signal);
        const execution = await started;
        controller.abort();
        expect(await outcome).toMatchObject({ ok: false, error: { code: "TURN_ABORTED" } });
        const settlement = await settledWithin(execution.settlement, cancelledToolStopsWithinMs);
        expect(
          settlement,
          `${cancellable.tool} was still running ${cancelledToolStopsWithinMs} ms after the turn was cancelled: pass context.signal to its I/O`,
        ).not.toBe("still running");
        const code =
          typeof settlement === "object" && !settlement.ok ? (settlement.error as { code?: unknown })?.code : undefined;
        expect(code, `${cancellable.tool} stopped at a timeout of its own, not at the cancellation`).not.toBe(
          "TOOL_TIMEOUT",
        );
      },
      cancelledToolStopsWithinMs + 10_000,
    );

    for (const [index, planned] of (options.calls ?? []).entries()) {
      it(`call ${index + 1}: ${planned.tool}(${JSON.stringify(planned.arguments)})`, async () => {
        const outcome = await call(planned.tool, planned.arguments);
        expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(true);
        if (outcome.ok) planned.check?.(outcome.result);
      });
    }
  });
}

async function settledWithin<T>(work: Promise<T>, milliseconds: number): Promise<T | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"still running">((resolve) => {
    timer = setTimeout(() => resolve("still running"), milliseconds);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
