import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { tool, type Tool } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { executeToolCall } from "./executor.ts";
import { ToolRegistry } from "./registry.ts";

let server: Server;
let port: number;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(`${request.headers.host}${request.url}`);
    if (request.url === "/hang") return; // accepted, never answered
    if (request.url === "/redirect-to-localhost")
      return response.writeHead(302, { location: `http://localhost:${port}/ok` }).end();
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

// Each tool exempts both loopback names from the private-address check: only its declared hosts
// (networkHosts) decide where context.fetch may go.
const allowPrivate = ["127.0.0.1", "localhost"];
const fetcher = (name: string, networkHosts: readonly string[] | undefined): Tool =>
  tool({
    name,
    description: "Fetches a path from the loopback server.",
    inputSchema: z.object({ path: z.string() }),
    ...(networkHosts ? { networkHosts } : {}),
    execute: async ({ path }, { fetch }) => (await fetch(`http://127.0.0.1:${port}${path}`, { allowPrivate })).status,
  });
const run = (fetcherTool: Tool, path = "/ok", signal = new AbortController().signal) =>
  executeToolCall(
    { callId: "c", name: fetcherTool.name, arguments: { path } },
    {
      registry: new ToolRegistry().register({ name: "tool-fetch-test", version: "1.0.0", tools: [fetcherTool] }),
      sessionId: "s",
      signal,
      logger: silentLogger,
    },
  );

describe("context.fetch: a tool reaches only the hosts it declares (networkHosts)", () => {
  it("reaches a declared host", async () => {
    expect(await run(fetcher("declared", ["127.0.0.1"]))).toMatchObject({ ok: true, result: 200 });
  });

  it("is refused a host it did not declare, before any request is sent", async () => {
    const before = received.length;
    const outcome = await run(fetcher("elsewhere", ["api.example.com"]));
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: "TOOL_FAILED",
        message: "The tool may not contact 127.0.0.1: it is not among its declared hosts.",
      },
    });
    expect(received.length).toBe(before);
  });

  it("gives no network to a tool that declares no hosts", async () => {
    for (const tool of [fetcher("declares-empty", []), fetcher("declares-nothing", undefined)]) {
      const outcome = await run(tool);
      expect(outcome.ok ? "" : outcome.error.message).toMatch(/may not contact 127\.0\.0\.1/);
    }
  });

  it("refuses a redirect to a host the tool did not declare", async () => {
    const outcome = await run(fetcher("redirected", ["127.0.0.1"]), "/redirect-to-localhost");
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/may not contact localhost/);
    expect(received.at(-1)).toBe(`127.0.0.1:${port}/redirect-to-localhost`);
  });

  it("is cancelled with the call", async () => {
    let fetchSettled: (error: unknown) => void = () => {};
    const settled = new Promise<unknown>((resolve) => {
      fetchSettled = resolve;
    });
    const waiting = tool({
      name: "waiting",
      description: "Waits for a server that never answers.",
      inputSchema: z.object({}),
      networkHosts: ["127.0.0.1"],
      execute: async (_, { fetch }) => {
        const before = received.length;
        const request = fetch(`http://127.0.0.1:${port}/hang`, { allowPrivate });
        request.then(fetchSettled, fetchSettled);
        while (received.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
        controller.abort();
        return request;
      },
    });
    const controller = new AbortController();
    const outcome = await executeToolCall(
      { callId: "c", name: "waiting", arguments: {} },
      {
        registry: new ToolRegistry().register({ name: "tool-fetch-cancel", version: "1.0.0", tools: [waiting] }),
        sessionId: "s",
        signal: controller.signal,
        logger: silentLogger,
      },
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: "TURN_ABORTED" } });
    expect(await settled).toMatchObject({ name: "AbortError" });
  });

  it("binds a batching tool's executeBatch the same way", async () => {
    const batching = (name: string, networkHosts: readonly string[]): Tool => ({
      ...fetcher(name, networkHosts),
      batchWindowMs: 1,
      executeBatch: async (inputs: readonly { path: string }[], { fetch }) =>
        Promise.all(
          inputs.map(async ({ path }) => (await fetch(`http://127.0.0.1:${port}${path}`, { allowPrivate })).status),
        ),
    });
    expect(await run(batching("batch-declared", ["127.0.0.1"]))).toMatchObject({ ok: true, result: 200 });
    expect(await run(batching("batch-elsewhere", ["api.example.com"]))).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/may not contact 127\.0\.0\.1/) },
    });
  });
});
