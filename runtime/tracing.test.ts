import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent, tool, ToolRegistry } from "realtime-agent";
import { ScriptedModel } from "realtime-agent/testing";
import { startTracing } from "./tracing.ts";

/** An OTLP/HTTP collector on loopback: keeps each request's path, content type and JSON body. */
async function loopbackCollector() {
  const received: { path: string; contentType: string; body: unknown }[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    received.push({
      path: request.url ?? "",
      contentType: request.headers["content-type"] ?? "",
      body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
    });
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const spanSchema = z.object({
  name: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  attributes: z.array(z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) })).default([]),
  status: z.object({ code: z.number().optional() }).optional(),
});
const exportSchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({
        attributes: z.array(z.object({ key: z.string(), value: z.record(z.string(), z.unknown()) })),
      }),
      scopeSpans: z.array(z.object({ spans: z.array(spanSchema) })),
    }),
  ),
});

describe("startTracing", () => {
  const collectors: { close(): void }[] = [];
  afterAll(() => {
    for (const collector of collectors) collector.close();
  });

  it("sets nothing up without an OTLP endpoint", () => {
    expect(startTracing({})).toBeUndefined();
    expect(
      startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1", OTEL_SDK_DISABLED: "true" }),
    ).toBeUndefined();
  });

  it("exports a turn's spans over OTLP/HTTP: the turn, its model calls and its tool calls under it", async () => {
    const collector = await loopbackCollector();
    collectors.push(collector);
    const tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/`, OTEL_SERVICE_NAME: "rta-test" });
    expect(tracing?.endpoint).toBe(`${collector.url}/v1/traces`);
    const weather = tool({
      name: "weather",
      description: "Weather in a city.",
      inputSchema: z.object({ city: z.string() }),
      execute: ({ city }) => ({ city, celsius: 21 }),
    });
    const broken = tool({
      name: "broken",
      description: "Always fails.",
      inputSchema: z.object({}),
      execute: () => {
        throw new Error("down");
      },
    });
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "weather", arguments: { city: "Lima" }, callId: "c1" },
          { name: "broken", arguments: {}, callId: "c2" },
        ],
      },
      { text: "It is 21 °C in Lima." },
    ]);
    const tools = new ToolRegistry().register({ name: "t", version: "1.0.0", tools: [weather, broken] });
    const agent = new Agent({ model, tools });
    for await (const _ of agent.runTurn({ sessionId: "traced", text: "Weather in Lima?", turnId: "turn-1" }));
    await tracing!.shutdown();

    expect(collector.received.length).toBeGreaterThan(0);
    expect(collector.received.every((request) => request.path === "/v1/traces")).toBe(true);
    expect(collector.received[0]!.contentType).toContain("application/json");
    const exports = collector.received.map((request) => exportSchema.parse(request.body));
    const resource = exports[0]!.resourceSpans[0]!.resource.attributes;
    expect(resource.find((attribute) => attribute.key === "service.name")?.value).toEqual({ stringValue: "rta-test" });
    const spans = exports.flatMap((body) => body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const attribute = (span: z.infer<typeof spanSchema>, key: string) =>
      span.attributes.find((entry) => entry.key === key)?.value;

    const turn = spans.filter((span) => span.name === "agent.turn");
    expect(turn).toHaveLength(1);
    expect(attribute(turn[0]!, "turn.id")).toEqual({ stringValue: "turn-1" });
    expect(attribute(turn[0]!, "turn.outcome")).toEqual({ stringValue: "completed" });
    const models = spans.filter((span) => span.name === "model.call");
    const calls = spans.filter((span) => span.name === "tool.call");
    expect(models).toHaveLength(2);
    expect(calls.map((span) => attribute(span, "tool.name"))).toEqual(
      expect.arrayContaining([{ stringValue: "weather" }, { stringValue: "broken" }]),
    );
    for (const child of [...models, ...calls]) {
      expect(child.traceId).toBe(turn[0]!.traceId);
      expect(child.parentSpanId).toBe(turn[0]!.spanId);
    }
    const failed = calls.find((span) => attribute(span, "tool.name")?.stringValue === "broken");
    expect(failed?.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(attribute(models[0]!, "agent.tool_calls")).toEqual({ intValue: 2 });
  });
});
