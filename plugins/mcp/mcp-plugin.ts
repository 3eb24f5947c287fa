import { lookup } from "node:dns/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { z } from "zod";
import {
  PluginError,
  ToolError,
  type JsonSchema,
  plugin,
  tool,
  type Plugin,
  type Tool,
  hostAllowed,
  isPrivateAddress,
} from "realtime-agent";

const serverSchema = z.union([
  z.object({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
  }),
  z.object({
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
  }),
]);
export const mcpConfigSchema = z.object({
  servers: z.array(serverSchema).min(1),
  /** Hosts of streamable-HTTP servers that may be on private or loopback addresses. */
  allowPrivate: z.array(z.string()).default([]),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type McpConfig = z.input<typeof mcpConfigSchema>;

const contentSchema = z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough());

async function checkUrl(url: URL, allowPrivate: readonly string[]): Promise<void> {
  if (hostAllowed(url.hostname, allowPrivate)) return;
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ""), { all: true });
  const refused = addresses.find((entry) => isPrivateAddress(entry.address));
  if (refused)
    throw new PluginError(
      "PLUGIN_CONFIG_INVALID",
      `MCP server ${url.hostname} resolves to ${refused.address}, a private or loopback address; add it to allowPrivate to allow it.`,
    );
}

/**
 * Connects to MCP servers (stdio processes or streamable HTTP endpoints) with the official SDK and
 * exposes their tools as ours, named `<server>_<tool>`. Connecting is async, so the plugin is made by
 * this function; `close()` disconnects (and stops stdio servers).
 */
export async function createMcpPlugin(rawConfig: McpConfig): Promise<Plugin> {
  const parsed = mcpConfigSchema.safeParse(rawConfig);
  if (!parsed.success)
    throw new PluginError(
      "PLUGIN_CONFIG_INVALID",
      `mcp: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  const config = parsed.data;
  const clients: Client[] = [];
  const tools: Tool[] = [];
  try {
    for (const server of config.servers) {
      const client = new Client({ name: "realtime-agent", version: "0.1.0" });
      if ("command" in server) {
        await client.connect(
          new StdioClientTransport({
            command: server.command,
            args: server.args,
            env: { PATH: process.env.PATH ?? "", ...server.env },
            ...(server.cwd ? { cwd: server.cwd } : {}),
            stderr: "ignore",
          }),
        );
      } else {
        const url = new URL(server.url);
        await checkUrl(url, config.allowPrivate);
        await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: server.headers } }));
      }
      clients.push(client);
      const { tools: listed } = await client.listTools();
      for (const remote of listed)
        tools.push(
          mcpTool(server.name, remote, client, config.timeoutMs, "url" in server ? [new URL(server.url).hostname] : []),
        );
    }
  } catch (error) {
    await Promise.allSettled(clients.map((client) => client.close()));
    if (error instanceof PluginError) throw error;
    throw new PluginError(
      "PLUGIN_UNAVAILABLE",
      `mcp: could not connect: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return plugin({
    name: "mcp",
    version: "1.0.0",
    tools,
    close: async () => {
      await Promise.allSettled(clients.map((client) => client.close()));
    },
  });
}

function mcpTool(
  serverName: string,
  remote: { name: string; description?: string | undefined; inputSchema: Record<string, unknown> },
  client: Client,
  timeoutMs: number,
  hosts: string[],
): Tool {
  const inputJsonSchema: JsonSchema = { type: "object", ...remote.inputSchema };
  let validator: z.ZodType<Record<string, unknown>>;
  try {
    validator = z.fromJSONSchema(inputJsonSchema as never) as z.ZodType<Record<string, unknown>>;
  } catch {
    validator = z.record(z.string(), z.unknown());
  }
  return tool({
    name: `${serverName}_${remote.name}`.replace(/[^a-zA-Z0-9_.-]/g, "_").slice(0, 64),
    description: remote.description?.trim() || `${remote.name} (MCP server ${serverName})`,
    inputSchema: validator,
    inputJsonSchema,
    timeoutMs,
    cacheTtlMs: 0,
    networkHosts: hosts,
    async execute(input, { signal }) {
      const result = await client.callTool({ name: remote.name, arguments: input }, undefined, {
        signal,
        timeout: timeoutMs,
      });
      const content = contentSchema.safeParse(result.content);
      const text = content.success
        ? content.data
            .filter((part) => part.type === "text")
            .map((part) => part.text ?? "")
            .join("\n")
        : "";
      if (result.isError)
        throw new ToolError(
          "TOOL_FAILED",
          `${remote.name} (MCP ${serverName}) failed: ${text.slice(0, 500) || "no detail"}`,
        );
      return result.structuredContent ?? (text || result.content);
    },
  });
}
