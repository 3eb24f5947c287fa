import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent } from "../../agent/agent.ts";
import { ProviderError } from "../../contracts/errors.ts";
import type { ModelStreamEvent } from "../../contracts/model.ts";
import { collectEvents, eventsOfType } from "../../testing/collect.ts";
import { LoopbackApiServer, anthropicStream, openaiStream } from "../../testing/loopback-api-server.ts";
import { ScriptedModel } from "../../testing/scripted-model.ts";
import { AnthropicProvider } from "../remote/anthropic-provider.ts";
import { OpenAIProvider } from "../remote/openai-provider.ts";
import { CircuitBreaker } from "./circuit-breaker.ts";
import { FallbackChain, resumeInstruction } from "./fallback-chain.ts";
import { backoffDelayMs } from "./retry.ts";

const request = { messages: [{ role: "user" as const, content: "hi" }], tools: [], toolChoice: "auto" as const };
const unavailable = (retryAfterMs?: number) =>
  new ProviderError("PROVIDER_FAILED", "HTTP 503", {
    details: { status: 503, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  });
const rejected = () => new ProviderError("PROVIDER_REJECTED", "HTTP 400", { details: { status: 400 } });
const fastRetry = { retries: 2, baseDelayMs: 1, maxDelayMs: 2 };

async function drain(chain: FallbackChain, signal?: AbortSignal): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of chain.stream({ ...request, ...(signal ? { signal } : {}) })) events.push(event);
  return events;
}
const providerEvents = (events: ModelStreamEvent[]) =>
  events.flatMap((event) => (event.type.startsWith("provider-") ? [event] : []));
const ofType = <T extends ModelStreamEvent["type"]>(events: ModelStreamEvent[], type: T) =>
  events.filter((event): event is Extract<ModelStreamEvent, { type: T }> => event.type === type);
const text = (events: ModelStreamEvent[]) =>
  events.flatMap((event) => (event.type === "text-delta" ? [event.text] : [])).join("");

describe("FallbackChain", () => {
  it("refuses to be built without providers: PROVIDER_NOT_CONFIGURED, not retryable", () => {
    expect(() => new FallbackChain({ members: [] })).toThrow(
      expect.objectContaining({ code: "PROVIDER_NOT_CONFIGURED", retryable: false }),
    );
  });

  it("gives a message with images to the first provider that reads them, skipping the ones that do not", async () => {
    const local = new ScriptedModel([], { id: "local" });
    const seeing = new ScriptedModel([{ text: "A pixel." }], { id: "claude", vision: true });
    const chain = new FallbackChain({ members: [{ provider: local }, { provider: seeing }] });
    expect(chain.capabilities.vision).toBe(true);
    const image = { mediaType: "image/png" as const, data: "iVBORw0KGgo=" };
    const events: ModelStreamEvent[] = [];
    for await (const event of chain.stream({
      ...request,
      messages: [{ role: "user", content: "What is it?", images: [image] }],
    }))
      events.push(event);
    expect(providerEvents(events)).toEqual([
      { type: "provider-skipped", provider: "local", to: "claude", message: "local is skipped: it reads no images." },
    ]);
    expect(ofType(events, "finish")[0]).toMatchObject({ provider: "claude" });
    expect(local.requests).toEqual([]);
    expect(new FallbackChain({ members: [{ provider: local }] }).capabilities.vision).toBe(false);
    // When the provider that reads images fails, its failure is what the client hears, not "reads no images".
    const failing = new ScriptedModel([{ error: rejected() }], { id: "gpt", vision: true });
    const chain2 = new FallbackChain({ members: [{ provider: local }, { provider: failing }] });
    const consume = async () => {
      for await (const _event of chain2.stream({
        ...request,
        messages: [{ role: "user", content: "?", images: [image] }],
      })) {
        /* drain */
      }
    };
    await expect(consume()).rejects.toMatchObject({ code: "PROVIDER_REJECTED" });
  });

  it("retries a retryable failure with backoff, then answers from the same provider", async () => {
    const first = new ScriptedModel([{ error: unavailable() }, { error: unavailable() }, { text: "ok" }], {
      id: "primary",
    });
    const chain = new FallbackChain({
      members: [{ provider: first, retry: fastRetry }, { provider: new ScriptedModel([], { id: "backup" }) }],
    });
    const events = await drain(chain);
    expect(providerEvents(events).map((event) => event.type)).toEqual(["provider-retry", "provider-retry"]);
    expect(events.at(-1)).toMatchObject({ type: "finish", provider: "primary" });
    first.assertDone();
  });

  it("waits as long as retry-after says", async () => {
    const first = new ScriptedModel([{ error: unavailable(40) }, { text: "ok" }], { id: "primary" });
    const chain = new FallbackChain({ members: [{ provider: first, retry: fastRetry }] });
    const events = await drain(chain);
    expect(ofType(events, "provider-retry")[0]).toMatchObject({ provider: "primary", delayMs: 40, attempt: 1 });
  });

  it("falls back at once on a non-retryable failure and says so", async () => {
    const chain = new FallbackChain({
      members: [
        { provider: new ScriptedModel([{ error: rejected() }], { id: "anthropic" }), retry: fastRetry },
        { provider: new ScriptedModel([{ text: "from backup" }], { id: "openai" }) },
      ],
    });
    const events = await drain(chain);
    expect(providerEvents(events)).toEqual([
      {
        type: "provider-fallback",
        from: "anthropic",
        to: "openai",
        code: "PROVIDER_REJECTED",
        resumed: false,
        message: "anthropic failed (PROVIDER_REJECTED); answering with openai.",
      },
    ]);
    expect(text(events)).toBe("from backup");
    expect(events.at(-1)).toMatchObject({ provider: "openai" });
  });

  it("continues a cut-off answer on the next provider and marks it resumed", async () => {
    const second = new ScriptedModel(
      [
        {
          text: "world.",
          expect: (next) => {
            expect(next.messages.slice(-2)).toEqual([
              { role: "assistant", content: "Hello " },
              { role: "user", content: resumeInstruction },
            ]);
          },
        },
      ],
      { id: "openai" },
    );
    const chain = new FallbackChain({
      members: [
        {
          provider: new ScriptedModel([{ text: ["Hello "], error: unavailable() }], { id: "anthropic" }),
          retry: fastRetry,
        },
        { provider: second },
      ],
    });
    const events = await drain(chain);
    expect(text(events)).toBe("Hello world.");
    expect(ofType(events, "provider-fallback")[0]).toMatchObject({ resumed: true });
    second.assertDone();
  });

  it("ends with the error after partial output when so configured", async () => {
    const chain = new FallbackChain({
      afterPartialOutput: "error",
      members: [
        { provider: new ScriptedModel([{ text: ["Hel"], error: unavailable() }], { id: "a" }) },
        { provider: new ScriptedModel([], { id: "b" }) },
      ],
    });
    await expect(drain(chain)).rejects.toMatchObject({ code: "PROVIDER_FAILED" });
  });

  it("holds back tool calls until the provider finishes, so a failed provider's calls never run", async () => {
    const chain = new FallbackChain({
      members: [
        {
          provider: new ScriptedModel([{ toolCalls: [{ name: "calculator", arguments: {} }], error: rejected() }], {
            id: "a",
          }),
        },
        { provider: new ScriptedModel([{ text: "no tools" }], { id: "b" }) },
      ],
    });
    expect((await drain(chain)).filter((event) => event.type === "tool-call")).toHaveLength(0);
  });

  it("times out a silent provider and moves on", async () => {
    const chain = new FallbackChain({
      members: [
        {
          provider: new ScriptedModel([{ text: "late", firstDelayMs: 5_000 }], { id: "slow" }),
          timeouts: { firstTokenMs: 50 },
          retry: { retries: 0 },
        },
        { provider: new ScriptedModel([{ text: "fast" }], { id: "fast" }) },
      ],
    });
    const started = Date.now();
    const events = await drain(chain);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(ofType(events, "provider-fallback")[0]).toMatchObject({ from: "slow", code: "PROVIDER_TIMEOUT" });
    expect(text(events)).toBe("fast");
  });

  it("times out a stream that goes quiet mid-answer", async () => {
    const chain = new FallbackChain({
      members: [
        {
          provider: new ScriptedModel([{ text: ["a", "b"], delayMs: 300 }], { id: "stalls" }),
          timeouts: { idleMs: 100, firstTokenMs: 1_000 },
        },
      ],
    });
    await expect(drain(chain)).rejects.toMatchObject({ code: "PROVIDER_TIMEOUT", retryable: true });
  });

  it("opens a provider's circuit after repeated failures, skips it, and probes it after the cooldown", async () => {
    let now = 0;
    const flaky = new ScriptedModel([{ error: rejected() }, { error: rejected() }, { text: "recovered" }], {
      id: "flaky",
    });
    const backup = new ScriptedModel([{ text: "b1" }, { text: "b2" }, { text: "b3" }], { id: "backup" });
    const chain = new FallbackChain({
      members: [
        { provider: flaky, breaker: { failureThreshold: 2, cooldownMs: 1_000, now: () => now } },
        { provider: backup },
      ],
    });
    await drain(chain);
    await drain(chain);
    expect(chain.breakerState("flaky")).toBe("open");
    const skipped = await drain(chain);
    expect(providerEvents(skipped)[0]).toMatchObject({ type: "provider-skipped", provider: "flaky", to: "backup" });
    now = 1_500;
    expect(chain.breakerState("flaky")).toBe("half-open");
    expect(text(await drain(chain))).toBe("recovered");
    expect(chain.breakerState("flaky")).toBe("closed");
  });

  it("passes the fallback on to the turn as a typed event and names the provider that answered", async () => {
    const chain = new FallbackChain({
      members: [
        { provider: new ScriptedModel([{ error: rejected() }], { id: "anthropic" }) },
        { provider: new ScriptedModel([{ text: "answer" }], { id: "local" }) },
      ],
    });
    const events = await collectEvents(new Agent({ model: chain }).runTurn({ sessionId: "s", text: "hi" }));
    expect(eventsOfType(events, "provider-fallback")).toEqual([
      expect.objectContaining({ turnId: events[0]!.turnId, from: "anthropic", to: "local", resumed: false }),
    ]);
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({ provider: "local", text: "answer" });
  });
});

describe("retry and breaker primitives", () => {
  it("backs off exponentially with jitter and caps the delay", () => {
    expect(backoffDelayMs(0, { baseDelayMs: 100 }, undefined, () => 1)).toBe(100);
    expect(backoffDelayMs(3, { baseDelayMs: 100 }, undefined, () => 1)).toBe(800);
    expect(backoffDelayMs(3, { baseDelayMs: 100 }, undefined, () => 0)).toBe(400);
    expect(backoffDelayMs(10, { baseDelayMs: 100, maxDelayMs: 1_000 }, undefined, () => 1)).toBe(1_000);
    expect(backoffDelayMs(0, {}, 60_000)).toBeUndefined();
  });

  it("lets one probe through when half-open", () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10, now: () => now });
    breaker.recordFailure();
    expect(breaker.tryAcquire()).toBe(false);
    now = 20;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
  });
});

describe("FallbackChain over the real adapters and a loopback server", () => {
  const server = new LoopbackApiServer();
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  it("Claude rate-limited (retry-after honoured), then failing, falls back to GPT; nothing hangs and the message is kept", async () => {
    server.reply(
      anthropicStream.httpError(429, "rate_limit_error", "slow down", { "retry-after": "0.05" }),
      anthropicStream.httpError(529, "overloaded_error", "overloaded"),
      { kind: "sse", events: openaiStream.text(["Hi", " from GPT"]) },
    );
    const chain = new FallbackChain({
      members: [
        { provider: new AnthropicProvider({ apiKey: "sk-ant-x", baseURL: server.url }), retry: { retries: 1 } },
        { provider: new OpenAIProvider({ apiKey: "sk-x", baseURL: `${server.url}/v1`, id: "openai" }) },
      ],
    });
    const events = await drain(chain);
    expect(providerEvents(events)).toMatchObject([
      { type: "provider-retry", provider: "anthropic", delayMs: 50 },
      { type: "provider-fallback", from: "anthropic", to: "openai" },
    ]);
    expect(text(events)).toBe("Hi from GPT");
    const userMessages = server.requests.map((recorded) => JSON.stringify(recorded.body.messages));
    expect(userMessages.every((messages) => messages.includes('"hi"'))).toBe(true);
  });
});
