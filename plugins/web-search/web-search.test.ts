import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { JsonApiServer } from "../shared/test-support/json-api-server.ts";
import { webSearchPlugin } from "./index.ts";

// Brave Search's and SearXNG's documented JSON responses.
const api = new JsonApiServer((url, headers) => {
  if (url.pathname === "/res/v1/web/search") {
    if (url.searchParams.get("q") === "a query the server never answers") return "hang";
    if (headers["x-subscription-token"] !== "brave-key")
      return { status: 401, body: { type: "ErrorResponse", error: { code: "SUBSCRIPTION_TOKEN_INVALID" } } };
    return {
      body: {
        type: "search",
        query: { original: url.searchParams.get("q") },
        web: {
          type: "search",
          results: [
            {
              title: "Node.js — Download",
              url: "https://nodejs.org/en/download",
              description: "Node.js® is a JavaScript runtime.",
              age: "2 days ago",
            },
            {
              title: "Node.js releases",
              url: "https://github.com/nodejs/node/releases",
              description: "Release notes.",
            },
          ],
        },
      },
    };
  }
  if (url.pathname === "/search" && url.searchParams.get("format") === "json") {
    return {
      body: {
        query: url.searchParams.get("q"),
        number_of_results: 1,
        results: [
          {
            title: "SearXNG",
            url: "https://docs.searxng.org",
            content: "A metasearch engine.",
            engine: "duckduckgo",
            publishedDate: null,
          },
        ],
      },
    };
  }
  return undefined;
});
let base: string;
beforeAll(async () => {
  base = await api.start();
});
afterAll(() => api.close());

const search = (config: Record<string, unknown>, argumentsOfCall: Record<string, unknown>) => {
  const registry = new ToolRegistry().register(webSearchPlugin, { allowPrivate: ["127.0.0.1"], ...config });
  return executeToolCall(
    { callId: "c", name: "web_search", arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );
};

describe("web_search tool", () => {
  it("searches with Brave, sending the subscription token", async () => {
    const outcome = await search(
      { braveApiKey: "brave-key", braveUrl: `${base}/res/v1/web/search` },
      { query: "node release", count: 1 },
    );
    expect(outcome).toMatchObject({
      ok: true,
      result: {
        engine: "brave",
        results: [
          {
            title: "Node.js — Download",
            url: "https://nodejs.org/en/download",
            snippet: "Node.js® is a JavaScript runtime.",
          },
        ],
      },
    });
    expect(api.requests.at(-1)!.searchParams.get("count")).toBe("1");
  });

  it("reports a bad key clearly", async () => {
    const outcome = await search({ braveApiKey: "wrong", braveUrl: `${base}/res/v1/web/search` }, { query: "x" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "TOOL_NOT_CONFIGURED", retryable: false } });
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/check its API key/);
  });

  it("uses SearXNG's JSON API when there is no Brave key", async () => {
    const outcome = await search({ searxngUrl: base }, { query: "metasearch" });
    expect(outcome).toMatchObject({
      ok: true,
      result: { engine: "searxng", results: [{ url: "https://docs.searxng.org", snippet: "A metasearch engine." }] },
    });
  });

  it("says it is not configured when it has neither", async () => {
    const outcome = await search({}, { query: "x" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "TOOL_NOT_CONFIGURED" } });
    expect(outcome.ok ? "" : outcome.error.message).toMatch(/not configured: set BRAVE_API_KEY .* or RTA_SEARXNG_URL/);
  });
});

runPluginContract(webSearchPlugin, {
  config: () => ({
    braveApiKey: "brave-key",
    braveUrl: `${base}/res/v1/web/search`,
    allowPrivate: ["127.0.0.1"],
    timeoutMs: 60_000,
  }),
  cancellableCall: { tool: "web_search", arguments: { query: "a query the server never answers" } },
});
