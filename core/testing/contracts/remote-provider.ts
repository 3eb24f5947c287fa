import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentError } from "../../contracts/errors.ts";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";
import { LoopbackApiServer, type LoopbackReply } from "../loopback-api-server.ts";

/** How one remote API speaks, so the same contract cases run against every adapter. */
export interface RemoteApiDialect {
  name: string;
  secret: string;
  makeProvider(baseURL: string): ModelProvider;
  text(chunks: string[], usage: { input: number; output: number }): string[];
  toolCalls(calls: { id: string; name: string; parts: string[] }[]): string[];
  httpError(status: number, headers?: Record<string, string>): LoopbackReply;
  /** A well-formed event that breaks the stream's protocol (bad JSON in an SSE data line). */
  malformedEvent: string;
}

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hello" },
  ],
  tools: [],
  toolChoice: "auto",
  ...overrides,
});

async function drain(provider: ModelProvider, options: Partial<ModelRequest> = {}): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of provider.stream(request(options))) events.push(event);
  return events;
}

async function failure(provider: ModelProvider, options: Partial<ModelRequest> = {}): Promise<AgentError> {
  try {
    await drain(provider, options);
  } catch (error) {
    if (AgentError.isInstance(error)) return error;
    throw new Error(`expected an AgentError, got ${String(error)}`);
  }
  throw new Error("expected the stream to fail");
}

/** The provider contract for remote adapters, against a loopback server replaying the API's wire format. */
export function runRemoteProviderContract(dialect: RemoteApiDialect): void {
  describe(`provider contract: ${dialect.name}`, () => {
    const server = new LoopbackApiServer();
    let provider: ModelProvider;
    beforeAll(async () => {
      provider = dialect.makeProvider(await server.start());
    });
    afterAll(async () => {
      await server.close();
    });

    it("streams text in order and finishes once, with usage", async () => {
      server.reply({ kind: "sse", events: dialect.text(["Hel", "lo", " there"], { input: 21, output: 3 }) });
      const events = await drain(provider);
      expect(
        events.filter((event) => event.type === "text-delta").map((event) => event.type === "text-delta" && event.text),
      ).toEqual(["Hel", "lo", " there"]);
      expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({
        type: "finish",
        reason: "stop",
        usage: { inputTokens: 21, outputTokens: 3 },
      });
    });

    it("assembles tool calls from streamed argument fragments", async () => {
      server.reply({
        kind: "sse",
        events: dialect.toolCalls([
          { id: "call_a", name: "calculator", parts: ['{"expres', 'sion": "2+', '2"}'] },
          { id: "call_b", name: "weather", parts: ['{"city": "Oslo"}'] },
        ]),
      });
      const events = await drain(provider, {
        tools: [
          {
            name: "calculator",
            description: "math",
            inputSchema: { type: "object", properties: { expression: { type: "string" } } },
          },
        ],
      });
      const calls = events.filter((event) => event.type === "tool-call");
      expect(calls).toEqual([
        { type: "tool-call", callId: "call_a", name: "calculator", arguments: { expression: "2+2" } },
        { type: "tool-call", callId: "call_b", name: "weather", arguments: { city: "Oslo" } },
      ]);
      expect(events.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
    });

    it("turns a client error into a non-retryable ProviderError that never shows the key", async () => {
      server.reply(dialect.httpError(400));
      const error = await failure(provider);
      expect(error).toMatchObject({ code: "PROVIDER_REJECTED", retryable: false, fault: "provider" });
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(dialect.secret);
    });

    it("marks 429 retryable and passes on retry-after", async () => {
      server.reply(dialect.httpError(429, { "retry-after": "2" }));
      const error = await failure(provider);
      expect(error).toMatchObject({
        code: "PROVIDER_RATE_LIMITED",
        retryable: true,
        details: { status: 429, retryAfterMs: 2000 },
      });
    });

    it("marks server errors retryable", async () => {
      server.reply(dialect.httpError(503));
      expect(await failure(provider)).toMatchObject({
        code: "PROVIDER_FAILED",
        retryable: true,
        details: { status: 503 },
      });
    });

    it("fails with a typed, retryable error when the connection drops mid-stream", async () => {
      server.reply({
        kind: "sse",
        events: dialect.text(["one", "two", "three"], { input: 1, output: 3 }),
        cutAfter: 3,
      });
      const error = await failure(provider);
      expect(error.fault).toBe("provider");
      expect(error.retryable).toBe(true);
    });

    it("fails with a typed error on a malformed chunk", async () => {
      server.reply({
        kind: "sse",
        events: [...dialect.text(["ok"], { input: 1, output: 1 }).slice(0, 2), dialect.malformedEvent],
      });
      expect((await failure(provider)).fault).toBe("provider");
    });

    it("stops promptly when the signal aborts while the server is silent", async () => {
      server.reply({ kind: "hang" });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      const error = await failure(provider, { signal: controller.signal });
      expect(error.code).toBe("TURN_ABORTED");
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
}
