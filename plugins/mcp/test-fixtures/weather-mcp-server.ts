// A real MCP server for tests, over stdio or streamable HTTP (argument "http <port>").
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export function buildServer(): McpServer {
  const server = new McpServer({ name: "fixture", version: "1.0.0" });
  server.registerTool(
    "add",
    { description: "Add two numbers.", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  server.registerTool(
    "fail",
    { description: "Always fails.", inputSchema: { reason: z.string() } },
    async ({ reason }) => ({ isError: true, content: [{ type: "text", text: `failed: ${reason}` }] }),
  );
  server.registerTool(
    "wait",
    {
      description: "Waits the given number of seconds, or until the call is cancelled.",
      inputSchema: { seconds: z.number() },
    },
    ({ seconds }, { signal }) =>
      new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve({ content: [{ type: "text", text: signal.aborted ? "cancelled" : "waited" }] });
        };
        const timer = setTimeout(done, seconds * 1000);
        signal.addEventListener("abort", done, { once: true });
      }),
  );
  return server;
}

if (process.argv[2] === "stdio") {
  await buildServer().connect(new StdioServerTransport());
}

/** Serves the fixture over streamable HTTP (stateless) on loopback; resolves with its URL. */
export async function serveHttp(): Promise<{ url: string; close(): Promise<void> }> {
  const http = createServer(async (request, response) => {
    const server = buildServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    let body = "";
    for await (const chunk of request) body += chunk;
    await transport.handleRequest(request, response, body ? JSON.parse(body) : undefined);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
