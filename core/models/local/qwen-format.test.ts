import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent } from "../../agent/agent.ts";
import { tool } from "../../contracts/tool.ts";
import { collectEvents, eventsOfType } from "../../testing/collect.ts";
import { ToolRegistry, toToolDefinition } from "../../tools/registry.ts";
import type { ModelStreamEvent } from "../../contracts/model.ts";
import { LlamaText, SpecialTokensText } from "node-llama-cpp";
import { LocalModelProvider } from "./local-provider.ts";
import { callLeaning, callOpeningTokens } from "./qwen-format.ts";

// Integration: the real Qwen2.5-Coder-0.5B-Instruct GGUF (`npm test` fetches it), in its own format.
// Every generation is bounded by tokens: 40 for answers, one grammar-bounded call per tool.
const options = { model: "qwen2.5-coder-0.5b", maxOutputTokens: 40, sequences: 1 };
const provider = new LocalModelProvider(options);

const multiply = tool({
  name: "multiply",
  description: "Multiply two numbers.",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ product: a * b }),
});
const weather = tool({
  name: "weather",
  description: "Get the current weather and forecast for a city.",
  inputSchema: z.object({ city: z.string().describe("City name, e.g. Tokyo") }),
  execute: ({ city }) => ({ city, temperatureCelsius: 14, sky: "clear" }),
});
const agent = new Agent({
  model: provider,
  tools: new ToolRegistry().register({ name: "test-tools", version: "1.0.0", tools: [multiply, weather] }),
});

const markup = /<\/?tool_call>|<\/?tool_response>|\{\s*"name"/;

beforeAll(async () => {
  const loaded = await provider.load();
  expect(loaded.chatFormat).toBe("qwen2.5");
});

describe("LocalModelProvider in Qwen2.5's format (Qwen2.5-Coder-0.5B-Instruct)", () => {
  it("calls a tool in <tool_call> format, runs it, and answers from its result", async () => {
    const events = await collectEvents(agent.runTurn({ sessionId: "qwen-1", text: "What is 12 times 7?" }));
    const calls = eventsOfType(events, "tool-call");
    expect(calls.map((call) => call.name)).toEqual(["multiply"]);
    expect(calls[0]!.arguments).toEqual({ a: 12, b: 7 });
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({ name: "multiply", result: { product: 84 } });
    const finish = eventsOfType(events, "turn-finish")[0]!;
    expect(finish.text).toContain("84");
    expect(finish.text).not.toMatch(markup);
  });

  it("answers a greeting in text, with no call and no call markup, though tools are offered", async () => {
    const events = await collectEvents(agent.runTurn({ sessionId: "qwen-2", text: "Hola, ¿cómo estás?" }));
    expect(eventsOfType(events, "tool-call")).toEqual([]);
    const finish = eventsOfType(events, "turn-finish")[0]!;
    expect(finish.text.trim().length).toBeGreaterThan(0);
    expect(finish.text).not.toMatch(markup);
  });

  it("keeps every token that could open a call from the first place of an answer with no tools in view", async () => {
    const { model } = await provider.load();
    const opening = callOpeningTokens(model);
    const [toolCall] = LlamaText(new SpecialTokensText("<tool_call>")).tokenize(model.tokenizer);
    expect(opening).toContain(toolCall);
    for (const text of ["{", ' {"', "<", " <"]) expect(opening).toContain(model.tokenize(text)[0]);
    for (const text of ["Hello", " The", "```", "1"]) expect(opening).not.toContain(model.tokenize(text)[0]);
    for (const token of opening)
      if (token !== toolCall) expect(model.detokenize([token], true).trimStart()).toMatch(/^[{<]/);
    // Asked to write a JSON object, the answer may hold one, but may not start as a call would.
    let text = "";
    for await (const event of provider.stream({
      messages: [{ role: "user", content: 'Reply with exactly this and nothing else: {"name": "weather"}' }],
      tools: [],
      toolChoice: "auto",
      maxOutputTokens: 12,
    }))
      if (event.type === "text-delta") text += event.text;
    expect(text.trim().length).toBeGreaterThan(0);
    expect(text.trimStart()).not.toMatch(/^[{<]/);
  });

  it("reads a prompt's call leaning once per sequence: the same tokens again reuse it, others read anew", async () => {
    const loaded = await provider.load();
    const lease = await loaded.acquireSequence();
    try {
      const run = { loaded, sequence: lease.sequence };
      const tokens = (text: string) =>
        LlamaText([
          new SpecialTokensText("<|im_start|>user\n"),
          text,
          new SpecialTokensText("<|im_end|>\n<|im_start|>assistant\n"),
        ]).tokenize(loaded.model.tokenizer);
      const first = await callLeaning(run, tokens("What is 2 plus 2?"));
      expect(await callLeaning(run, tokens("What is 2 plus 2?"))).toBe(first);
      const other = await callLeaning(run, tokens("Tell me a joke."));
      expect(other).not.toBe(first);
      expect(await callLeaning(run, tokens("What is 2 plus 2?"))).not.toBe(first); // only the last is kept
    } finally {
      lease.release();
    }
  });

  it("keeps a further call after </tool_call> only when it brings a value of its own from the request", async () => {
    // Having seen a two-call exchange earlier in the conversation, the 0.5B model starts a second call
    // after `</tool_call>`, but it tends to copy the earlier example's city ("Oslo"): a call whose values
    // the request does not spell out is dropped, one for Tokyo would be kept.
    const events: ModelStreamEvent[] = [];
    const severalCalls = new LocalModelProvider({ ...options, maxToolCallsPerResponse: 4 });
    for await (const event of severalCalls.stream({
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "What is 3 times 5, and the weather in Oslo?" },
        {
          role: "assistant",
          content: "",
          toolCalls: [
            { callId: "call_a", name: "multiply", arguments: { a: 3, b: 5 } },
            { callId: "call_b", name: "weather", arguments: { city: "Oslo" } },
          ],
        },
        { role: "tool", callId: "call_a", name: "multiply", content: '{"result": {"product": 15}}', isError: false },
        { role: "tool", callId: "call_b", name: "weather", content: '{"result": {"sky": "snow"}}', isError: false },
        { role: "user", content: "What is 15 times 24, and what's the weather in Tokyo?" },
      ],
      tools: [multiply, weather].map(toToolDefinition),
      toolChoice: "auto",
    }))
      events.push(event);
    const calls = events.flatMap((event) => (event.type === "tool-call" ? [event] : []));
    expect(calls[0]).toMatchObject({ name: "multiply", arguments: { a: 15, b: 24 } });
    for (const further of calls.slice(1))
      expect(further).toMatchObject({ name: "weather", arguments: { city: "Tokyo" } });
    expect(events.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
  });

  it("decodes one call and stops when the message lists nothing, writing the tool's name for the model", async () => {
    const events: ModelStreamEvent[] = [];
    const severalCalls = new LocalModelProvider({ ...options, maxToolCallsPerResponse: 4 });
    for await (const event of severalCalls.stream({
      messages: [{ role: "user", content: "What is 12 times 7?" }],
      tools: [multiply].map(toToolDefinition),
      toolChoice: "required",
    }))
      events.push(event);
    expect(events.flatMap((event) => (event.type === "tool-call" ? [event.arguments] : []))).toEqual([{ a: 12, b: 7 }]);
    // Only the arguments were decoded (`{"a": 12, "b": 7}}`): the name was written, no second call tried.
    const finish = events.at(-1);
    expect(finish).toMatchObject({ type: "finish", reason: "tool-calls" });
    expect(finish?.type === "finish" && finish.usage.outputTokens).toBeLessThanOrEqual(16);
  });

  it("restores a system turn with its tool list read by an earlier request, and calls the same", async () => {
    const loaded = await provider.load();
    const callsOf = async (content: string, through = provider) => {
      const calls: Array<{ name: string; arguments: Record<string, unknown> }> = [];
      for await (const event of through.stream({
        messages: [
          { role: "system", content: "You are a helpful assistant. Use a tool when one fits the request." },
          { role: "user", content },
        ],
        tools: [multiply, weather].map(toToolDefinition),
        toolChoice: "auto",
      }))
        if (event.type === "tool-call") calls.push({ name: event.name, arguments: event.arguments });
      return calls;
    };
    // In between, the one sequence holds another system turn (the default one, too short to cache).
    const chatInBetween = async () => {
      for await (const _ of provider.stream({
        messages: [{ role: "user", content: "Hi" }],
        tools: [],
        toolChoice: "auto",
        maxOutputTokens: 2,
      }));
    };
    const first = await callsOf("What is 13 times 9?");
    expect(first).toEqual([{ name: "multiply", arguments: { a: 13, b: 9 } }]);
    await chatInBetween();
    const restoredBefore = loaded.prefixCache.counts.restored;
    expect(await callsOf("What is 13 times 9?")).toEqual(first);
    expect(loaded.prefixCache.counts.restored).toBe(restoredBefore + 1);
    await chatInBetween();
    expect(await callsOf("What is 13 times 9?", new LocalModelProvider({ ...options, prefixCache: false }))).toEqual(
      first,
    );
    expect(loaded.prefixCache.counts.restored).toBe(restoredBefore + 1);
  });

  it("warms a system turn with its tool list, which the first request then starts from", async () => {
    const loaded = await provider.load();
    const system = { role: "system" as const, content: "You are a warm-up test assistant. Be brief." };
    const request = {
      messages: [system, { role: "user" as const, content: "Weather in Oslo?" }],
      tools: [weather].map(toToolDefinition),
    };
    expect(await provider.warmUp([request, request])).toBe(1);
    const { saved, kept, restored } = loaded.prefixCache.counts;
    for await (const _ of provider.stream({ ...request, toolChoice: "auto" }));
    expect(loaded.prefixCache.counts.saved).toBe(saved);
    expect(loaded.prefixCache.counts.kept + loaded.prefixCache.counts.restored).toBe(kept + restored + 1);
  });

  it("calls each required tool once, in order, for a message that asks for two things", async () => {
    const events: ModelStreamEvent[] = [];
    for await (const event of provider.stream({
      messages: [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: "What is 15 times 24, and what's the weather in Tokyo?" },
      ],
      tools: [multiply, weather].map(toToolDefinition),
      toolChoice: "required",
      requiredTools: ["multiply", "weather"],
    }))
      events.push(event);
    const calls = events.flatMap((event) => (event.type === "tool-call" ? [event] : []));
    expect(calls.map((call) => call.name)).toEqual(["multiply", "weather"]);
    expect(calls[0]!.arguments).toEqual({ a: 15, b: 24 });
    expect(calls[1]!.arguments).toEqual({ city: "Tokyo" });
  });

  it("makes a call when the tool choice is required, though the message leans to a text answer", async () => {
    const stream = async (toolChoice: "auto" | "required") => {
      const events: ModelStreamEvent[] = [];
      for await (const event of provider.stream({
        messages: [{ role: "user", content: "Hola, ¿cómo estás?" }],
        tools: [weather].map(toToolDefinition),
        toolChoice,
      }))
        events.push(event);
      return events;
    };
    const required = await stream("required");
    // At least one call; how many more it writes after `</tool_call>` is the model's own reading.
    const names = required.flatMap((event) => (event.type === "tool-call" ? [event.name] : []));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set(["weather"]));
    expect(required.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
    expect((await stream("auto")).some((event) => event.type === "tool-call")).toBe(false);
  });

  it("calls once per number of a list, rates as fractions, flags the request names kept", async () => {
    const mortgage = {
      name: "mortgage_payment",
      description: "Monthly payment of a fixed-rate mortgage.",
      inputSchema: {
        type: "object",
        properties: {
          loan_amount: { type: "number", description: "The amount borrowed." },
          interest_rate: { type: "number", description: "The annual interest rate." },
          loan_term: { type: "integer", description: "The term in years." },
          include_insurance: { type: "boolean", description: "Whether to add insurance to the payment." },
        },
        required: ["loan_amount", "interest_rate", "loan_term"],
      },
    };
    const calls: { name: string; arguments: Record<string, unknown> }[] = [];
    for await (const event of new LocalModelProvider({ ...options, maxToolCallsPerResponse: 4 }).stream({
      messages: [
        {
          role: "user",
          content: "Monthly payment for a loan of $400,000 at 4% for 15, 20 and 30 years, including insurance.",
        },
      ],
      tools: [mortgage],
      toolChoice: "required",
    })) {
      if (event.type === "tool-call") calls.push({ name: event.name, arguments: event.arguments });
    }
    expect(calls.map((call) => call.arguments.loan_term)).toEqual([15, 20, 30]);
    for (const call of calls) {
      expect(call.arguments).toMatchObject({ loan_amount: 400000, interest_rate: 0.04, include_insurance: true });
    }
  });
});
