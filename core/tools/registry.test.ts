import { describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginError } from "../contracts/errors.ts";
import { tool, type Plugin } from "../contracts/tool.ts";
import { ToolRegistry } from "./registry.ts";

const echo = tool({
  name: "echo",
  description: "Echoes.",
  inputSchema: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});
const pluginOf = (name: string, tools: Plugin["tools"], version = "1.0.0"): Plugin => ({ name, version, tools });

function registrationError(register: () => unknown): PluginError {
  try {
    register();
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error("expected registration to fail");
}

describe("ToolRegistry", () => {
  it("registers a plugin and exposes each tool's input as JSON Schema", () => {
    const registry = new ToolRegistry().register(pluginOf("echo", [echo]));
    expect(registry.get("echo")?.pluginName).toBe("echo");
    expect(registry.definitions()[0]).toMatchObject({
      name: "echo",
      inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    });
  });

  it("rejects a tool name that is already registered, naming both plugins", () => {
    const registry = new ToolRegistry().register(pluginOf("first", [echo]));
    const error = registrationError(() => registry.register(pluginOf("second", [echo])));
    expect(error.code).toBe("PLUGIN_DUPLICATE_TOOL");
    expect(error.message).toContain('"first"');
    expect(registry.list()).toHaveLength(1);
  });

  it("rejects a duplicate inside one plugin without registering any of its tools", () => {
    const registry = new ToolRegistry();
    expect(registrationError(() => registry.register(pluginOf("twice", [echo, echo]))).code).toBe(
      "PLUGIN_DUPLICATE_TOOL",
    );
    expect(registry.list()).toHaveLength(0);
  });

  it.each([
    ["a non-object input schema", { ...echo, inputSchema: z.string() }],
    ["a schema that is not zod", { ...echo, inputSchema: { type: "object" } as never }],
    ["a bad tool name", { ...echo, name: "has spaces" }],
    ["a missing description", { ...echo, description: " " }],
    ["a negative timeout", { ...echo, timeoutMs: -1 }],
    ["an example that breaks the schema", { ...echo, examples: [{ request: "hi", arguments: { text: 5 } }] }],
    ["a schema with no JSON Schema form", { ...echo, inputSchema: z.object({ when: z.date() }) }],
    ["network hosts that are not a list", { ...echo, networkHosts: "api.example.com" as never }],
    ["an empty network host", { ...echo, networkHosts: [""] }],
  ])("rejects %s with PLUGIN_INVALID", (_, badTool) => {
    expect(registrationError(() => new ToolRegistry().register(pluginOf("bad", [badTool as never]))).code).toBe(
      "PLUGIN_INVALID",
    );
  });

  it("rejects bad plugin metadata", () => {
    expect(registrationError(() => new ToolRegistry().register(pluginOf("Bad Name", [echo]))).code).toBe(
      "PLUGIN_INVALID",
    );
    expect(registrationError(() => new ToolRegistry().register(pluginOf("ok", [echo], "latest"))).code).toBe(
      "PLUGIN_INVALID",
    );
    expect(registrationError(() => new ToolRegistry().register(pluginOf("empty", []))).code).toBe("PLUGIN_INVALID");
  });

  it("rejects a second plugin of the same name with PLUGIN_DUPLICATE, keeping the first", () => {
    const registry = new ToolRegistry().register(pluginOf("echo", [echo]));
    const error = registrationError(() => registry.register(pluginOf("echo", [{ ...echo, name: "echo_again" }])));
    expect(error.code).toBe("PLUGIN_DUPLICATE");
    expect(error.message).toContain('"echo"');
    expect(registry.list().map((entry) => entry.tool.name)).toEqual(["echo"]);
  });
});

describe("plugin configuration", () => {
  const configured = {
    name: "greeter",
    version: "1.0.0",
    configSchema: z.object({ greeting: z.string().min(1), apiKey: z.string().min(1) }),
    tools: (config: { greeting: string }) => [
      tool({
        name: "greet",
        description: "Greets.",
        inputSchema: z.object({ name: z.string() }),
        execute: ({ name }) => `${config.greeting}, ${name}`,
      }),
    ],
  };

  it("builds tools from a validated config", async () => {
    const registry = new ToolRegistry().register(configured, { greeting: "Hello", apiKey: "k" });
    expect(await registry.get("greet")!.tool.execute({ name: "Ada" }, {} as never)).toBe("Hello, Ada");
  });

  it("rejects a missing value or secret with PLUGIN_CONFIG_INVALID, naming the field", () => {
    const error = registrationError(() => new ToolRegistry().register(configured, { greeting: "Hi" }));
    expect(error.code).toBe("PLUGIN_CONFIG_INVALID");
    expect(error.message).toContain("apiKey");
  });
});
