import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, silentLogger, executeToolCall, ToolRegistry } from "realtime-agent";
import { collectEvents, eventsOfType, ScriptedModel } from "realtime-agent/testing";
import { runPluginContract } from "realtime-agent/testing/contracts";
import { calculatorPlugin } from "../calculator/index.ts";
import { JsonApiServer } from "../shared/test-support/json-api-server.ts";
import { currencyPlugin } from "./index.ts";

// Frankfurter's documented response for GET /latest?from=USD&to=EUR,MXN (ECB reference rates).
const frankfurter = new JsonApiServer((url) =>
  url.pathname === "/latest"
    ? {
        body: {
          amount: 1.0,
          base: url.searchParams.get("from"),
          date: "2026-11-25",
          rates: Object.fromEntries(
            (url.searchParams.get("to") ?? "")
              .split(",")
              .map((code) => [code, { EUR: 0.9123, MXN: 18.245, JPY: 151.3 }[code] ?? 1]),
          ),
        },
      }
    : undefined,
);
let registry: ToolRegistry;
beforeAll(async () => {
  const baseUrl = await frankfurter.start();
  registry = new ToolRegistry()
    .register(currencyPlugin, { baseUrl, allowPrivate: ["127.0.0.1"] })
    .register(calculatorPlugin);
});
afterAll(() => frankfurter.close());

const call = (argumentsOfCall: Record<string, unknown>) =>
  executeToolCall(
    { callId: "c", name: "currency", arguments: argumentsOfCall },
    { registry, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
  );

describe("currency tool", () => {
  it("converts with ECB reference rates and gives the rates' date", async () => {
    const outcome = await call({ amount: 100, from: "usd", to: ["EUR", "MXN"] });
    expect(outcome).toMatchObject({
      ok: true,
      result: {
        amount: 100,
        from: "USD",
        date: "2026-11-25",
        converted: { EUR: 91.23, MXN: 1824.5 },
        rates: { EUR: 0.9123, MXN: 18.245 },
      },
    });
    expect(frankfurter.requests.at(-1)!.search).toBe("?from=USD&to=EUR%2CMXN");
  });

  it("caches rates: a second conversion asks the API nothing", async () => {
    const before = frankfurter.requests.length;
    await call({ amount: 5, from: "USD", to: ["MXN", "EUR"] });
    expect(frankfurter.requests.length).toBe(before);
  });

  it("reads currencies by name, in English and Spanish, as their codes", async () => {
    const outcome = await call({ amount: 100, from: "Dólares", to: ["euros", "pesos mexicanos"] });
    expect(outcome).toMatchObject({ ok: true, result: { from: "USD", converted: { EUR: 91.23, MXN: 1824.5 } } });
  });

  it("rejects a currency that is neither an ISO 4217 code nor a known name before calling anything", async () => {
    expect(await call({ amount: 1, from: "doubloons", to: ["EUR"] })).toMatchObject({
      ok: false,
      error: { code: "TOOL_INVALID_INPUT" },
    });
  });

  it("says the network is unreachable when the service is down, and refuses private hosts unless allowed", async () => {
    const offline = new ToolRegistry().register(currencyPlugin, {
      baseUrl: "http://127.0.0.1:9",
      allowPrivate: ["127.0.0.1"],
    });
    const down = await executeToolCall(
      { callId: "c", name: "currency", arguments: { amount: 1, from: "USD", to: ["EUR"] } },
      { registry: offline, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
    );
    expect(down).toMatchObject({ ok: false, error: { code: "TOOL_UNAVAILABLE", retryable: true } });
    expect(down.ok ? "" : down.error.message).toMatch(/Network unreachable/);
    const locked = new ToolRegistry().register(currencyPlugin, { baseUrl: frankfurter.url });
    const refused = await executeToolCall(
      { callId: "c", name: "currency", arguments: { amount: 1, from: "USD", to: ["EUR"] } },
      { registry: locked, sessionId: "s", signal: new AbortController().signal, logger: silentLogger },
    );
    expect(refused.ok ? "" : refused.error.message).toMatch(/private or loopback/);
  });

  it("runs the seed's USD → EUR/MXN example end to end through the agent", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "currency", arguments: { amount: 250, from: "USD", to: ["EUR", "MXN"] } }] },
      {
        text: "250 USD is 228.08 EUR or 4561.25 MXN (ECB rates of 2026-11-25).",
        expect: (request) => {
          const result = JSON.parse(request.messages.at(-1)!.content);
          expect(result.result).toMatchObject({ converted: { EUR: 228.08, MXN: 4561.25 }, date: "2026-11-25" });
        },
      },
    ]);
    const events = await collectEvents(
      new Agent({ model, tools: registry }).runTurn({ sessionId: "trip", text: "How much is 250 USD in EUR and MXN?" }),
    );
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({
      name: "currency",
      result: { converted: { EUR: 228.08, MXN: 4561.25 } },
    });
    expect(eventsOfType(events, "turn-finish")[0]!.text).toContain("4561.25 MXN");
    model.assertDone();
  });
});

describe("currency plugin contract", () => {
  const api = new JsonApiServer((url) => {
    if (url.pathname !== "/latest") return undefined;
    // Accepted, never answered: the contract's cancellation check (no example names this currency).
    if (url.searchParams.get("from") === "SEK") return "hang";
    // Every currency the tool's examples name.
    const rates = { EUR: 0.9, MXN: 18, USD: 1.1, JPY: 150, GBP: 0.79, CAD: 1.38, CHF: 0.88, BRL: 5.4 };
    return { body: { amount: 1, base: "USD", date: "2026-11-25", rates } };
  });
  beforeAll(async () => {
    await api.start();
  });
  afterAll(() => api.close());
  runPluginContract(currencyPlugin, {
    config: () => ({ baseUrl: api.url, allowPrivate: ["127.0.0.1"], timeoutMs: 60_000 }),
    cancellableCall: { tool: "currency", arguments: { amount: 1, from: "SEK", to: ["CHF"] } },
  });
});
