import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopbackApiServer, anthropicStream, openaiStream } from "../../testing/loopback-api-server.ts";
import { tinyPng } from "../../testing/scripted-model.ts";
import { AnthropicProvider } from "./anthropic-provider.ts";
import { OpenAIProvider, openAIAcceptsLogprobs } from "./openai-provider.ts";
import { runRemoteProviderContract } from "../../testing/contracts/remote-provider.ts";

const anthropicKey = "sk-ant-test-secret-0001";
const openaiKey = "sk-test-secret-0002";

runRemoteProviderContract({
  name: "anthropic",
  secret: anthropicKey,
  makeProvider: (baseURL) => new AnthropicProvider({ apiKey: anthropicKey, baseURL, model: "claude-test" }),
  text: (chunks, usage) => anthropicStream.text(chunks, { inputTokens: usage.input, outputTokens: usage.output }),
  toolCalls: (calls) =>
    anthropicStream.toolUse(calls.map((call) => ({ id: call.id, name: call.name, jsonParts: call.parts }))),
  httpError: (status, headers) =>
    anthropicStream.httpError(
      status,
      status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error",
      `error ${status}`,
      headers,
    ),
  malformedEvent: "event: content_block_delta\ndata: {not json\n\n",
});

runRemoteProviderContract({
  name: "openai",
  secret: openaiKey,
  makeProvider: (baseURL) =>
    new OpenAIProvider({ apiKey: openaiKey, baseURL: `${baseURL}/v1`, id: "openai", model: "gpt-test" }),
  text: (chunks, usage) => openaiStream.text(chunks, { promptTokens: usage.input, completionTokens: usage.output }),
  toolCalls: (calls) =>
    openaiStream.toolCalls(calls.map((call) => ({ id: call.id, name: call.name, argumentParts: call.parts }))),
  httpError: (status, headers) =>
    openaiStream.httpError(
      status,
      status === 429 ? "rate_limit_exceeded" : "invalid_request_error",
      `error ${status}`,
      headers,
    ),
  malformedEvent: "data: {not json\n\n",
});

runRemoteProviderContract({
  name: "openai-compatible (no key)",
  secret: "not-needed",
  makeProvider: (baseURL) => new OpenAIProvider({ baseURL: `${baseURL}/v1`, model: "llama3" }),
  text: (chunks, usage) => openaiStream.text(chunks, { promptTokens: usage.input, completionTokens: usage.output }),
  toolCalls: (calls) =>
    openaiStream.toolCalls(calls.map((call) => ({ id: call.id, name: call.name, argumentParts: call.parts }))),
  httpError: (status, headers) => openaiStream.httpError(status, "server_error", `error ${status}`, headers),
  malformedEvent: "data: {not json\n\n",
});

describe("adapters' requests on the wire", () => {
  const server = new LoopbackApiServer();
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.close();
  });

  const conversation = {
    messages: [
      { role: "system" as const, content: "Be brief." },
      { role: "user" as const, content: "What is 2+2?" },
      {
        role: "assistant" as const,
        content: "",
        toolCalls: [{ callId: "call_1", name: "calculator", arguments: { expression: "2+2" } }],
      },
      { role: "tool" as const, callId: "call_1", name: "calculator", content: '{"result":4}', isError: false },
    ],
    tools: [
      {
        name: "calculator",
        description: "math",
        inputSchema: { type: "object", properties: { expression: { type: "string" } } },
      },
    ],
    toolChoice: "auto" as const,
  };

  it("Anthropic: key header, system apart, tool_use and tool_result blocks, input_schema", async () => {
    server.reply({ kind: "sse", events: anthropicStream.text(["4"]) });
    const provider = new AnthropicProvider({ apiKey: anthropicKey, baseURL: server.url, model: "claude-test" });
    for await (const _event of provider.stream(conversation)) {
      /* drain */
    }
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe("/v1/messages");
    // The SDK sends the key as x-api-key or as a bearer token, depending on its version.
    expect(recorded.headers["x-api-key"] ?? recorded.headers.authorization?.replace(/^Bearer /, "")).toBe(anthropicKey);
    expect(recorded.body).toMatchObject({
      model: "claude-test",
      stream: true,
      system: "Be brief.",
      tools: [{ name: "calculator", input_schema: { type: "object" } }],
      messages: [
        { role: "user", content: [{ type: "text", text: "What is 2+2?" }] },
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "call_1", name: "calculator", input: { expression: "2+2" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: '{"result":4}' }] },
      ],
    });
  });

  it("OpenAI: bearer key, usage requested in the stream, tool_calls and tool messages", async () => {
    server.reply({ kind: "sse", events: openaiStream.text(["4"]) });
    const provider = new OpenAIProvider({ apiKey: openaiKey, baseURL: `${server.url}/v1`, model: "gpt-test" });
    for await (const _event of provider.stream(conversation)) {
      /* drain */
    }
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe("/v1/chat/completions");
    expect(recorded.headers.authorization).toBe(`Bearer ${openaiKey}`);
    expect(recorded.body).toMatchObject({
      model: "gpt-test",
      stream: true,
      stream_options: { include_usage: true },
      tools: [{ type: "function", function: { name: "calculator" } }],
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "What is 2+2?" },
        {
          role: "assistant",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "calculator", arguments: '{"expression":"2+2"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"result":4}' },
      ],
    });
    expect(recorded.body).not.toHaveProperty("tool_choice");
  });

  it("OpenAI: asks for log-probabilities and gives the answer's confidence from them; not from reasoning models", async () => {
    server.reply({
      kind: "sse",
      events: openaiStream.text(["The", " answer", " is 4."], { logprobs: [-0.1, -0.5, -0.3] }),
    });
    const provider = new OpenAIProvider({ apiKey: openaiKey, logprobs: true, baseURL: `${server.url}/v1` });
    const events = [];
    for await (const event of provider.stream(conversation)) events.push(event);
    expect(server.requests.at(-1)!.body).toMatchObject({ logprobs: true });
    const finish = events.find((event) => event.type === "finish")!;
    expect(finish).toMatchObject({ type: "finish", reason: "stop" });
    expect((finish as { confidence?: number }).confidence).toBeCloseTo(Math.exp(-0.3), 6);

    // Without log-probabilities on the wire (a compatible server, a reasoning model), no confidence.
    server.reply({ kind: "sse", events: openaiStream.text(["4"]) });
    const compatible = new OpenAIProvider({ baseURL: `${server.url}/v1`, model: "llama3" });
    const plain = [];
    for await (const event of compatible.stream(conversation)) plain.push(event);
    expect(server.requests.at(-1)!.body).not.toHaveProperty("logprobs");
    expect(plain.find((event) => event.type === "finish")).not.toHaveProperty("confidence");
    expect(["gpt-4o-mini", "gpt-4.1"].map(openAIAcceptsLogprobs)).toEqual([true, true]);
    expect(["o1", "o3-mini", "o4-mini", "gpt-5"].map(openAIAcceptsLogprobs)).toEqual([false, false, false, false]);
  });

  it("sends a message's images as each API documents them: Anthropic image blocks, OpenAI image_url data URLs", async () => {
    const png = tinyPng;
    const withImage = {
      messages: [
        { role: "user" as const, content: "What is this?", images: [{ mediaType: "image/png" as const, data: png }] },
      ],
      tools: [],
      toolChoice: "auto" as const,
    };
    server.reply({ kind: "sse", events: anthropicStream.text(["A pixel."]) });
    const claude = new AnthropicProvider({ apiKey: anthropicKey, baseURL: server.url, model: "claude-test" });
    for await (const _event of claude.stream(withImage)) {
      /* drain */
    }
    expect(server.requests.at(-1)!.body).toMatchObject({
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
            { type: "text", text: "What is this?" },
          ],
        },
      ],
    });
    // A message of images alone: no empty text block (Anthropic refuses one).
    server.reply({ kind: "sse", events: anthropicStream.text(["A pixel."]) });
    const alone = { ...withImage, messages: [{ ...withImage.messages[0]!, content: "" }] };
    for await (const _event of claude.stream(alone)) {
      /* drain */
    }
    expect(server.requests.at(-1)!.body).toMatchObject({
      messages: [{ role: "user", content: [{ type: "image" }] }],
    });
    expect((server.requests.at(-1)!.body as { messages: { content: unknown[] }[] }).messages[0]!.content).toHaveLength(
      1,
    );
    server.reply({ kind: "sse", events: openaiStream.text(["A pixel."]) });
    const gpt = new OpenAIProvider({ apiKey: openaiKey, baseURL: `${server.url}/v1`, model: "gpt-test" });
    for await (const _event of gpt.stream(withImage)) {
      /* drain */
    }
    expect(server.requests.at(-1)!.body).toMatchObject({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
  });

  it("asks each API for a call when the tool choice is required", async () => {
    const required = { ...conversation, messages: conversation.messages.slice(0, 2), toolChoice: "required" as const };
    server.reply({ kind: "sse", events: openaiStream.text(["4"]) });
    const openai = new OpenAIProvider({ apiKey: openaiKey, baseURL: `${server.url}/v1`, model: "gpt-test" });
    for await (const _event of openai.stream(required)) {
      /* drain */
    }
    expect(server.requests.at(-1)!.body).toMatchObject({ tool_choice: "required", tools: [{ type: "function" }] });

    server.reply({ kind: "sse", events: anthropicStream.text(["4"]) });
    const anthropic = new AnthropicProvider({ apiKey: anthropicKey, baseURL: server.url, model: "claude-test" });
    for await (const _event of anthropic.stream(required)) {
      /* drain */
    }
    expect(server.requests.at(-1)!.body).toMatchObject({
      tool_choice: { type: "any" },
      tools: [{ name: "calculator" }],
    });
  });
});
