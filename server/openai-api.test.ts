import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, errorCodes, type ModelRequest, OpenAIProvider, ProviderError, silentLogger } from "realtime-agent";
import { ScriptedModel, tinyPng } from "realtime-agent/testing";
import { createAgentServer, type AgentServer } from "./app.ts";

// A running server (real HTTP on a free port) with a scripted model behind the agent, driven by the
// real `openai` npm client and by our own OpenAI-compatible provider.
const model = new ScriptedModel([]);
let server: AgentServer;
let baseURL: string;

beforeAll(async () => {
  server = createAgentServer({ agent: new Agent({ model }), logger: silentLogger, apiKey: "rta-test-key" });
  baseURL = `http://127.0.0.1:${(await server.listen(0)).port}/v1`;
});
afterAll(async () => {
  await server.close();
});

describe("OpenAI-compatible API", () => {
  it("lists the agent as a model", async () => {
    const client = new OpenAI({ apiKey: "rta-test-key", baseURL });
    const models = await client.models.list();
    expect(models.data.map((entry) => entry.id)).toEqual(["realtime-agent"]);
  });

  it("answers a non-streaming completion with the client's history and usage", async () => {
    const agentModel = new ScriptedModel([
      {
        text: "Paris is the capital.",
        usage: { inputTokens: 9, outputTokens: 5 },
        confidence: 0.8,
        expect: (request) => {
          expect(request.messages[0]!.content).toContain("Answer in French.");
          expect(request.messages.slice(1).map((message) => message.content)).toEqual([
            "Hi",
            "Hello!",
            "Capital of France?",
          ]);
        },
      },
    ]);
    const local = createAgentServer({ agent: new Agent({ model: agentModel }), logger: silentLogger });
    const url = `http://127.0.0.1:${(await local.listen(0)).port}/v1`;
    try {
      const client = new OpenAI({ apiKey: "unused", baseURL: url });
      const completion = await client.chat.completions.create({
        model: "realtime-agent",
        messages: [
          { role: "system", content: "Answer in French." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "Capital of France?" },
        ],
      });
      expect(completion.object).toBe("chat.completion");
      expect(completion.choices[0]!.message.content).toBe("Paris is the capital.");
      expect(completion.choices[0]!.finish_reason).toBe("stop");
      expect(completion.usage).toEqual({ prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
      // The answer's confidence, an extension of the choice.
      expect((completion.choices[0] as { confidence?: number }).confidence).toBe(0.8);
      agentModel.assertDone();
    } finally {
      await local.close();
    }
  });

  it("takes images as data: URLs in content parts, refuses image URLs to fetch and unknown ways of reasoning", async () => {
    const png = tinyPng;
    const seeing = new ScriptedModel([{ text: "A pixel." }], { vision: true });
    const local = createAgentServer({ agent: new Agent({ model: seeing }), logger: silentLogger });
    const url = `http://127.0.0.1:${(await local.listen(0)).port}/v1`;
    const ask = (content: unknown, extra: Record<string, unknown> = {}) =>
      fetch(`${url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "realtime-agent", messages: [{ role: "user", content }], ...extra }),
      });
    try {
      const parts = [
        { type: "text", text: "What is this?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
      ];
      const answered = await ask(parts);
      expect(answered.status).toBe(200);
      expect(
        ((await answered.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      ).toBe("A pixel.");
      expect(seeing.requests[0]!.messages.at(-1)).toMatchObject({
        content: "What is this?",
        images: [{ mediaType: "image/png", data: png }],
      });
      const remote = await ask([{ type: "image_url", image_url: { url: "http://169.254.169.254/latest" } }]);
      expect(remote.status).toBe(400);
      expect(await remote.text()).toContain("fetches no image");
      const unknown = await ask("Hard one", { reasoning: "deep" });
      expect(unknown.status).toBe(400);
    } finally {
      await local.close();
    }
    // The local model reads no images: 422 INPUT_UNSUPPORTED, from the error table.
    const blind = createAgentServer({ agent: new Agent({ model: new ScriptedModel([]) }), logger: silentLogger });
    const blindUrl = `http://127.0.0.1:${(await blind.listen(0)).port}/v1`;
    try {
      const response = await fetch(`${blindUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "realtime-agent",
          messages: [
            { role: "user", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }] },
          ],
        }),
      });
      expect(response.status).toBe(errorCodes.INPUT_UNSUPPORTED.httpStatus);
    } finally {
      await blind.close();
    }
  });

  it("streams chunks that the openai client and our own OpenAI-compatible provider both read", async () => {
    const agentModel = new ScriptedModel([
      { text: ["One ", "two ", "three."], confidence: 0.6 },
      { text: ["Four ", "five."], usage: { inputTokens: 3, outputTokens: 2 } },
    ]);
    const local = createAgentServer({ agent: new Agent({ model: agentModel }), logger: silentLogger });
    const url = `http://127.0.0.1:${(await local.listen(0)).port}/v1`;
    try {
      const client = new OpenAI({ apiKey: "unused", baseURL: url });
      const stream = await client.chat.completions.create({
        model: "realtime-agent",
        messages: [{ role: "user", content: "Count" }],
        stream: true,
      });
      const pieces: string[] = [];
      const confidences: number[] = [];
      for await (const chunk of stream) {
        pieces.push(chunk.choices[0]?.delta.content ?? "");
        const confidence = (chunk.choices[0] as { confidence?: number } | undefined)?.confidence;
        if (confidence !== undefined) confidences.push(confidence);
      }
      expect(pieces.join("")).toBe("One two three.");
      // On the last chunk's choice only, with its finish reason.
      expect(confidences).toEqual([0.6]);
      expect(pieces.filter(Boolean).length).toBe(3);

      const provider = new OpenAIProvider({ baseURL: url, model: "realtime-agent", id: "rta" });
      const events = [];
      for await (const event of provider.stream({
        messages: [{ role: "user", content: "More" }],
        tools: [],
        toolChoice: "auto",
      }))
        events.push(event);
      expect(
        events.filter((event) => event.type === "text-delta").map((event) => event.type === "text-delta" && event.text),
      ).toEqual(["Four ", "five."]);
      expect(events.at(-1)).toMatchObject({
        type: "finish",
        reason: "stop",
        usage: { inputTokens: 3, outputTokens: 2 },
        model: "realtime-agent",
      });
      agentModel.assertDone();
    } finally {
      await local.close();
    }
  });

  it("honours max_tokens and max_completion_tokens as the turn's output limit", async () => {
    const limits: (number | undefined)[] = [];
    const recordLimit = {
      text: "Short.",
      expect: (request: ModelRequest) => void limits.push(request.maxOutputTokens),
    };
    const agentModel = new ScriptedModel([recordLimit, recordLimit, recordLimit]);
    const local = createAgentServer({
      agent: new Agent({ model: agentModel, maxOutputTokens: 96 }),
      logger: silentLogger,
    });
    const url = `http://127.0.0.1:${(await local.listen(0)).port}/v1`;
    try {
      const client = new OpenAI({ apiKey: "unused", baseURL: url });
      const messages = [{ role: "user" as const, content: "Be brief." }];
      await client.chat.completions.create({ model: "realtime-agent", messages, max_tokens: 8 });
      const stream = await client.chat.completions.create({
        model: "realtime-agent",
        messages,
        max_tokens: 50,
        max_completion_tokens: 5,
        stream: true,
      });
      for await (const _chunk of stream) {
        /* drain */
      }
      await client.chat.completions.create({ model: "realtime-agent", messages });
      expect(limits).toEqual([8, 5, 96]);
      agentModel.assertDone();
    } finally {
      await local.close();
    }
  });

  it("rejects a missing key, a malformed body and a conversation that does not end with the user", async () => {
    const noKey = await fetch(`${baseURL}/models`);
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).error.code).toBe("invalid_api_key");
    // Without the key the body is never read: malformed JSON gets 401, not a parse error.
    const unread = await fetch(`${baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer wrong-key", "content-type": "application/json" },
      body: "{not json",
    });
    expect(unread.status).toBe(401);
    const headers = { authorization: "Bearer rta-test-key", "content-type": "application/json" };
    const malformed = await fetch(`${baseURL}/chat/completions`, { method: "POST", headers, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe("INPUT_MALFORMED");
    const client = new OpenAI({ apiKey: "rta-test-key", baseURL });
    await expect(
      client.chat.completions.create({ model: "realtime-agent", messages: [{ role: "assistant", content: "hi" }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(client.chat.completions.create({ model: "realtime-agent", messages: [] })).rejects.toMatchObject({
      status: 400,
    });
    expect(model.requests).toHaveLength(0);
  });

  it("answers a failed turn with the HTTP status of its error code", async () => {
    const agentModel = new ScriptedModel([
      { error: new ProviderError("PROVIDER_TIMEOUT", "upstream too slow") },
      { error: new TypeError("a bug") },
      { error: new TypeError("a bug while streaming") },
    ]);
    const local = createAgentServer({ agent: new Agent({ model: agentModel }), logger: silentLogger });
    const url = `http://127.0.0.1:${(await local.listen(0)).port}/v1/chat/completions`;
    const ask = (stream = false) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "realtime-agent", messages: [{ role: "user", content: "Hi" }], stream }),
      });
    try {
      const timedOut = await ask();
      expect(timedOut.status).toBe(errorCodes.PROVIDER_TIMEOUT.httpStatus);
      expect((await timedOut.json()).error).toMatchObject({ code: "PROVIDER_TIMEOUT", type: "server_error" });
      const crashed = await ask();
      expect(crashed.status).toBe(errorCodes.INTERNAL.httpStatus);
      expect((await crashed.json()).error).toMatchObject({ code: "INTERNAL", message: "a bug", type: "server_error" });
      const streamed = await (await ask(true)).text();
      expect(streamed).toContain(
        `data: ${JSON.stringify({ error: { message: "a bug while streaming", type: "server_error", code: "INTERNAL" } })}`,
      );
      agentModel.assertDone();
    } finally {
      await local.close();
    }
  });
});
