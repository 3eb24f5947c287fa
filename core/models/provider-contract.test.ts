import { afterAll, beforeAll } from "vitest";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { LoopbackApiServer, anthropicStream, openaiStream } from "../testing/loopback-api-server.ts";
import { FallbackChain } from "./fallback/fallback-chain.ts";
import { LocalModelProvider } from "./local/local-provider.ts";
import { AnthropicProvider } from "./remote/anthropic-provider.ts";
import { OpenAIProvider } from "./remote/openai-provider.ts";
import { runProviderContract } from "./provider-contract.ts";

// The same contract against every provider: scripted, local (the real SmolLM2), Anthropic, OpenAI,
// OpenAI-compatible (loopback servers in their wire formats) and the fallback chain.
let scriptedSteps: ConstructorParameters<typeof ScriptedModel>[0] = [];
runProviderContract({
  name: "scripted",
  provider: () => new ScriptedModel(scriptedSteps),
  prepareText: (text) => {
    scriptedSteps = [{ text }];
  },
  prepareSilence: () => {
    scriptedSteps = [{ text: ["never"], firstDelayMs: 60_000 }];
  },
});

runProviderContract({
  name: "local (SmolLM2-135M-Instruct)",
  provider: () => new LocalModelProvider({ maxOutputTokens: 24 }),
  prepareSilence: () => undefined,
});

const server = new LoopbackApiServer();
beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.close();
});

runProviderContract({
  name: "anthropic (loopback)",
  provider: () => new AnthropicProvider({ apiKey: "sk-ant-contract", baseURL: server.url }),
  prepareText: (text) => {
    server.reply({ kind: "sse", events: anthropicStream.text(text.split(" ")) });
  },
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});

runProviderContract({
  name: "openai (loopback)",
  provider: () => new OpenAIProvider({ apiKey: "sk-contract", baseURL: `${server.url}/v1`, id: "openai" }),
  prepareText: (text) => {
    server.reply({ kind: "sse", events: openaiStream.text(text.split(" ")) });
  },
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});

runProviderContract({
  name: "openai-compatible (loopback, no key)",
  provider: () => new OpenAIProvider({ baseURL: `${server.url}/v1`, model: "llama3" }),
  prepareText: (text) => {
    server.reply({ kind: "sse", events: openaiStream.text(text.split(" ")) });
  },
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});

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
  prepareSilence: () => {
    server.reply({ kind: "hang" });
  },
});
