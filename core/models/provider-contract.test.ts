import { afterAll, beforeAll } from "vitest";
import { ProviderError } from "../contracts/errors.ts";
import { runProviderContract } from "../testing/contracts/provider.ts";
import { LoopbackApiServer, anthropicStream, openaiStream } from "../testing/loopback-api-server.ts";
import { ScriptedModel, type ScriptedStep } from "../testing/scripted-model.ts";
import { FallbackChain } from "./fallback/fallback-chain.ts";
import { LocalModelProvider } from "./local/local-provider.ts";
import { AnthropicProvider } from "./remote/anthropic-provider.ts";
import { OpenAIProvider } from "./remote/openai-provider.ts";
import { SyntheticModel } from "./synthetic-model.ts";

// The same contract against every provider: scripted, synthetic, local (the real local model),
// Anthropic, OpenAI, OpenAI-compatible (a loopback server replaying their wire formats) and the
// fallback chain.
const rejected = () => new ProviderError("PROVIDER_REJECTED", "HTTP 400", { details: { status: 400 } });
const silence: ScriptedStep = { text: ["never"], firstDelayMs: 60_000 };

let scriptedSteps: ScriptedStep[] = [];
runProviderContract({
  name: "scripted",
  provider: () => new ScriptedModel(scriptedSteps),
  prepareText: (text) => {
    scriptedSteps = [{ text }];
  },
  prepareToolCall: (call) => {
    scriptedSteps = [{ toolCalls: [call] }];
  },
  prepareFailure: () => {
    scriptedSteps = [{ error: rejected() }];
  },
  prepareSilence: () => {
    scriptedSteps = [silence];
  },
});

let syntheticStep: ScriptedStep = { text: "" };
runProviderContract({
  name: "synthetic",
  provider: () => new SyntheticModel({ respond: () => syntheticStep }),
  prepareText: (text) => {
    syntheticStep = { text };
  },
  prepareToolCall: (call) => {
    syntheticStep = { toolCalls: [call] };
  },
  prepareFailure: () => {
    syntheticStep = { error: rejected() };
  },
  prepareSilence: () => {
    syntheticStep = silence;
  },
});

runProviderContract({
  name: "local (the real local model)",
  provider: () => new LocalModelProvider({ maxOutputTokens: 24 }),
  prepareSilence: () => undefined, // it generates long enough to be cancelled
  skipReason: "a real model answers as it will: it cannot be made to call a tool or to fail on cue",
});

const server = new LoopbackApiServer();
beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});

const toolCallOf = (call: { name: string; arguments: Record<string, unknown> }) => ({
  id: "call_contract",
  name: call.name,
  parts: [JSON.stringify(call.arguments)],
});

runProviderContract({
  name: "anthropic (loopback)",
  provider: () => new AnthropicProvider({ apiKey: "sk-ant-contract", baseURL: server.url }),
  prepareText: (text) => {
    server.reply({ kind: "sse", events: anthropicStream.text(text.split(" ")) });
  },
  prepareToolCall: (call) => {
    const { id, name, parts } = toolCallOf(call);
    server.reply({ kind: "sse", events: anthropicStream.toolUse([{ id, name, jsonParts: parts }]) });
  },
  prepareFailure: () => {
    server.reply(anthropicStream.httpError(400, "invalid_request_error", "bad"));
  },
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});

for (const subject of [
  {
    name: "openai (loopback)",
    provider: () => new OpenAIProvider({ apiKey: "sk-contract", baseURL: `${server.url}/v1`, id: "openai" }),
  },
  {
    name: "openai-compatible (loopback, no key)",
    provider: () => new OpenAIProvider({ baseURL: `${server.url}/v1`, model: "llama3" }),
  },
]) {
  runProviderContract({
    ...subject,
    prepareText: (text) => {
      server.reply({ kind: "sse", events: openaiStream.text(text.split(" ")) });
    },
    prepareToolCall: (call) => {
      const { id, name, parts } = toolCallOf(call);
      server.reply({ kind: "sse", events: openaiStream.toolCalls([{ id, name, argumentParts: parts }]) });
    },
    prepareFailure: () => {
      server.reply(openaiStream.httpError(400, "invalid_request_error", "bad"));
    },
    prepareSilence: () => {
      server.reply({ kind: "hang" });
    },
  });
}

runProviderContract({
  name: "fallback chain (anthropic down → openai)",
  provider: () =>
    new FallbackChain({
      members: [
        { provider: new AnthropicProvider({ apiKey: "sk-ant-contract", baseURL: server.url }), retry: { retries: 0 } },
        { provider: new OpenAIProvider({ apiKey: "sk-contract", baseURL: `${server.url}/v1`, id: "openai" }) },
      ],
    }),
  prepareText: (text) => {
    server.reply(anthropicStream.httpError(400, "invalid_request_error", "bad"), {
      kind: "sse",
      events: openaiStream.text(text.split(" ")),
    });
  },
  prepareToolCall: (call) => {
    const { id, name, parts } = toolCallOf(call);
    server.reply(anthropicStream.httpError(400, "invalid_request_error", "bad"), {
      kind: "sse",
      events: openaiStream.toolCalls([{ id, name, argumentParts: parts }]),
    });
  },
  prepareFailure: () => {
    server.reply(
      anthropicStream.httpError(400, "invalid_request_error", "bad"),
      openaiStream.httpError(400, "invalid_request_error", "bad"),
    );
  },
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});
