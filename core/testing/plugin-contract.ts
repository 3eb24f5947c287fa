import { describe, expect, it } from "vitest";
import type { Plugin } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall } from "../tools/executor.ts";
import { ToolRegistry } from "../tools/registry.ts";

export interface PluginContractOptions {
  /** The configuration to register the plugin with. */
  config?: unknown;
  /** Calls to make, with a check of each result (an `expect` that throws fails the test). */
  calls?: { tool: string; arguments: Record<string, unknown>; check?: (result: unknown) => void }[];
  /** Run each tool's worked examples too (default true; turn off for tools that need the network). */
  runExamples?: boolean;
}

/**
 * The checks every plugin should pass, as a vitest suite: it registers, each tool shows the model an
 * object JSON Schema and a description, declares its timeout, cache TTL and network hosts, its
 * examples match its schema, and its calls succeed.
 *
 *   runPluginContract(myPlugin, { config: { apiKey: "test" }, calls: [{ tool: "greet", arguments: { name: "Ada" } }] });
 */
export function runPluginContract(plugin: Plugin, options: PluginContractOptions = {}): void {
  describe(`plugin contract: ${plugin.name}@${plugin.version}`, () => {
    const registry = () => new ToolRegistry().register(plugin, options.config);
    const call = (tool: string, argumentsOfCall: Record<string, unknown>) =>
      executeToolCall(
        { callId: "contract", name: tool, arguments: argumentsOfCall },
        {
          registry: registryInstance,
          sessionId: "contract",
          signal: new AbortController().signal,
          logger: silentLogger,
        },
      );
    let registryInstance: ToolRegistry;

    it("registers with its configuration", () => {
      registryInstance = registry();
      expect(registryInstance.list().length).toBeGreaterThan(0);
    });

    it("describes every tool to the model: name, description, object schema", () => {
      for (const { definition } of registry().list()) {
        expect(definition.description.length, `${definition.name} needs a description`).toBeGreaterThan(10);
        expect(["object", "dict"]).toContain(definition.inputSchema.type);
      }
    });

    it("declares timeout, cache TTL and network hosts", () => {
      for (const { tool } of registry().list()) {
        expect(tool.timeoutMs, `${tool.name}: set timeoutMs`).toBeGreaterThan(0);
        expect(tool.cacheTtlMs, `${tool.name}: set cacheTtlMs (0 for time-sensitive data)`).toBeGreaterThanOrEqual(0);
        expect(
          Array.isArray(tool.networkHosts),
          `${tool.name}: declare networkHosts ([] when it never uses the network)`,
        ).toBe(true);
      }
    });

    if (options.runExamples ?? true) {
      it("runs each tool's worked examples", async () => {
        registryInstance ??= registry();
        for (const { tool } of registryInstance.list()) {
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

    for (const [index, planned] of (options.calls ?? []).entries()) {
      it(`call ${index + 1}: ${planned.tool}(${JSON.stringify(planned.arguments)})`, async () => {
        registryInstance ??= registry();
        const outcome = await call(planned.tool, planned.arguments);
        expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(true);
        if (outcome.ok) planned.check?.(outcome.result);
      });
    }
  });
}
