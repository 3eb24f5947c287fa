import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginError, type Plugin, silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { createMcpPlugin } from "./mcp-plugin.ts";
import { serveHttp } from "./test-fixtures/weather-mcp-server.ts";

const here = dirname(fileURLToPath(import.meta.url));
const tsxCli = join(here, "../../node_modules/tsx/dist/cli.mjs");
const call = (registry: ToolRegistry, name: string, argumentsOfCall: Record<string, unknown>) =>
  executeToolCall(
    { callId: "c", name, arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );

describe("mcp over stdio (a real MCP server process)", () => {
  let mcp: Plugin;
  let registry: ToolRegistry;
  beforeAll(async () => {
    mcp = await createMcpPlugin({
      servers: [
        {
          name: "fixture",
          command: process.execPath,
          args: [tsxCli, join(here, "test-fixtures/weather-mcp-server.ts"), "stdio"],
        },
      ],
    });
    registry = new ToolRegistry().register(mcp);
  });
  afterAll(async () => {
    await mcp?.close?.();
  });

  it("exposes the server's tools with their JSON Schemas", () => {
    expect(registry.list().map((entry) => entry.tool.name)).toEqual(["fixture_add", "fixture_fail", "fixture_wait"]);
    expect(registry.get("fixture_add")!.definition).toMatchObject({
      description: "Add two numbers.",
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number" } },
        required: ["a", "b"],
      },
    });
  });

  it("calls a tool, validates arguments first, and turns isError into a tool error", async () => {
    expect(await call(registry, "fixture_add", { a: 2, b: 40 })).toMatchObject({ ok: true, result: "42" });
    expect(await call(registry, "fixture_add", { a: "two", b: 1 })).toMatchObject({
      ok: false,
      error: { code: "TOOL_INVALID_INPUT" },
    });
    expect(await call(registry, "fixture_fail", { reason: "on purpose" })).toMatchObject({
      ok: false,
      error: { code: "TOOL_FAILED", message: "fail (MCP fixture) failed: failed: on purpose" },
    });
  });
});

describe("mcp over streamable HTTP", () => {
  let http: Awaited<ReturnType<typeof serveHttp>>;
  beforeAll(async () => {
    http = await serveHttp();
  });
  afterAll(async () => {
    await http.close();
  });

  it("connects when the loopback host is allowlisted, and calls a tool", async () => {
    const mcp = await createMcpPlugin({ servers: [{ name: "remote", url: http.url }], allowPrivate: ["127.0.0.1"] });
    try {
      const registry = new ToolRegistry().register(mcp);
      expect(await call(registry, "remote_add", { a: 1, b: 2 })).toMatchObject({ ok: true, result: "3" });
    } finally {
      await mcp.close?.();
    }
  });

  it("fails with a retryable PLUGIN_UNAVAILABLE when the server cannot be reached", async () => {
    await expect(
      createMcpPlugin({ servers: [{ name: "gone", url: "http://127.0.0.1:9/mcp" }], allowPrivate: ["127.0.0.1"] }),
    ).rejects.toMatchObject({ code: "PLUGIN_UNAVAILABLE", fault: "plugin", retryable: true });
  });

  it("refuses a private address unless allowlisted", async () => {
    await expect(createMcpPlugin({ servers: [{ name: "remote", url: http.url }] })).rejects.toThrow(PluginError);
    await expect(createMcpPlugin({ servers: [{ name: "remote", url: http.url }] })).rejects.toThrow(
      /private or loopback/,
    );
  });
});

const stdioServer = {
  name: "fixture",
  command: process.execPath,
  args: [tsxCli, join(here, "test-fixtures/weather-mcp-server.ts"), "stdio"],
};
runPluginContract(() => createMcpPlugin({ servers: [stdioServer], timeoutMs: 60_000 }), {
  title: "mcp over stdio",
  calls: [{ tool: "fixture_add", arguments: { a: 2, b: 40 }, check: (result) => expect(result).toBe("42") }],
  cancellableCall: { tool: "fixture_wait", arguments: { seconds: 3600 } },
});

describe("mcp over streamable HTTP, plugin contract", () => {
  let http: Awaited<ReturnType<typeof serveHttp>>;
  beforeAll(async () => {
    http = await serveHttp();
  });
  afterAll(async () => {
    await http.close();
  });
  runPluginContract(
    () =>
      createMcpPlugin({ servers: [{ name: "remote", url: http.url }], allowPrivate: ["127.0.0.1"], timeoutMs: 60_000 }),
    {
      title: "mcp over streamable HTTP",
      calls: [{ tool: "remote_add", arguments: { a: 1, b: 2 }, check: (result) => expect(result).toBe("3") }],
      cancellableCall: { tool: "remote_wait", arguments: { seconds: 3600 } },
    },
  );
});
