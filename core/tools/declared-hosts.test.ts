import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, type Tool } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall } from "./executor.ts";
import { ToolRegistry } from "./registry.ts";
import { safeFetch } from "./safe-fetch.ts";

let server: Server;
let port: number;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.headers.host}${request.url}`);
    if (request.url === "/redirect-to-localhost")
      return response.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// Each tool passes safeFetch a policy that would let it reach the loopback server under either name:
// only the tool's own declaration (networkHosts) stands in the way.
const permissive = { allowedHosts: ["127.0.0.1", "localhost"], allowPrivate: ["127.0.0.1", "localhost"] };
const fetcher = (name: string, networkHosts: readonly string[] | undefined): Tool =>
  tool({
    name,
    description: "Fetches a path from the loopback server.",
    inputSchema: z.object({ path: z.string() }),
    ...(networkHosts ? { networkHosts } : {}),
    execute: async ({ path }, { signal }) =>
      (await safeFetch(`http://127.0.0.1:${port}${path}`, { policy: permissive, signal })).status,
  });
const run = (fetcherTool: Tool, path = "/ok") =>
  executeToolCall(
    { callId: "c", name: fetcherTool.name, arguments: { path } },
    {
      registry: new ToolRegistry().register({ name: "declared-hosts-test", version: "1.0.0", tools: [fetcherTool] }),
      sessionId: "s",
      signal: new AbortController().signal,
      logger: silentLogger,
    },
  );

describe("a tool reaches only the hosts it declares (networkHosts), whatever policy it hands safeFetch", () => {
  it("reaches a declared host", async () => {
    expect(await run(fetcher("declared", ["127.0.0.1"]))).toMatchObject({ ok: true, result: 200 });
  });

  it("is refused a host it did not declare, before any request is sent", async () => {
    const before = received.length;
    const outcome = await run(fetcher("elsewhere", ["api.example.com"]));
    expect(outcome).toMatchObject({ ok: false, error: { code: "TOOL_FAILED" } });
    expect(outcome.ok ? "" : outcome.error.message).toBe(
      "elsewhere may not contact 127.0.0.1: it is not among the hosts the tool declares (networkHosts).",
    );
    expect(received.length).toBe(before);
  });

  it("gets no network at all when it declares no hosts", async () => {
    for (const tool of [fetcher("declares-empty", []), fetcher("declares-nothing", undefined)]) {
      const outcome = await run(tool);
      expect(outcome.ok ? "" : outcome.error.message).toMatch(/may not contact 127\.0\.0\.1/);
    }
  });

  it("is refused a redirect to a host it did not declare", async () => {
    const outcome = await run(fetcher("redirected", ["127.0.0.1"]), "/redirect-to-localhost");
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/redirected may not contact localhost/);
    expect(received.at(-1)).toBe(`127.0.0.1:${port}/redirect-to-localhost`);
  });

  it("binds a batching tool's executeBatch the same way", async () => {
    const batching = (name: string, networkHosts: readonly string[]): Tool => ({
      ...fetcher(name, networkHosts),
      batchWindowMs: 1,
      executeBatch: async (inputs: readonly { path: string }[]) =>
        Promise.all(
          inputs.map(
            async ({ path }) => (await safeFetch(`http://127.0.0.1:${port}${path}`, { policy: permissive })).status,
          ),
        ),
    });
    expect(await run(batching("batch-declared", ["127.0.0.1"]))).toMatchObject({ ok: true, result: 200 });
    expect(await run(batching("batch-elsewhere", ["api.example.com"]))).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/batch-elsewhere may not contact 127\.0\.0\.1/) },
    });
  });

  it("leaves safeFetch outside a tool's code to its policy alone", async () => {
    expect((await safeFetch(`http://127.0.0.1:${port}/ok`, { policy: permissive })).status).toBe(200);
  });
});
