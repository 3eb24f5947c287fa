import { beforeAll, describe, expect, it, vi } from "vitest";
import { Agent } from "../../agent/agent.ts";
import type { ModelRequest, ModelStreamEvent, ToolDefinition } from "../../contracts/model.ts";
import { collectEvents, eventsOfType } from "../../testing/collect.ts";
import { LocalModelProvider } from "./local-provider.ts";
import { buildToolArgumentsGrammar, buildToolCallGrammar, buildToolCallObjectGrammar } from "./json-schema-grammar.ts";

// Integration: the real SmolLM2-135M-Instruct GGUF fetched by `npm run setup`, on the CPU.
const provider = new LocalModelProvider({ maxOutputTokens: 48 });

async function drain(request: ModelRequest): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of provider.stream(request)) events.push(event);
  return events;
}

const text = (events: readonly ModelStreamEvent[]) =>
  events.flatMap((event) => (event.type === "text-delta" ? [event.text] : [])).join("");

beforeAll(async () => {
  await provider.load();
});

describe("LocalModelProvider (SmolLM2-135M-Instruct)", () => {
  it("streams a short answer token by token, with usage and timings in the final event", async () => {
    const agent = new Agent({ model: provider });
    const events = await collectEvents(agent.runTurn({ sessionId: "local-1", text: "Name three colours." }));
    const deltas = eventsOfType(events, "text-delta");
    const finish = eventsOfType(events, "turn-finish")[0];

    expect(deltas.length).toBeGreaterThan(3);
    expect(finish).toBeDefined();
    expect(finish!.text).toBe(deltas.map((delta) => delta.text).join(""));
    expect(finish!.text.trim().length).toBeGreaterThan(0);
    expect(finish!.usage.inputTokens).toBeGreaterThan(10);
    expect(finish!.usage.outputTokens).toBeGreaterThanOrEqual(deltas.length);
    expect(finish!.model).toBe("SmolLM2-135M-Instruct.Q4_1");
    expect(finish!.timings.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(finish!.timings.totalMs).toBeGreaterThanOrEqual(finish!.timings.timeToFirstTokenMs!);
  });

  it("is deterministic at temperature 0", async () => {
    const request: ModelRequest = {
      messages: [{ role: "user", content: "What is the sea?" }],
      tools: [],
      toolChoice: "auto",
    };
    expect(text(await drain(request))).toBe(text(await drain(request)));
  });

  it("gives each answer a confidence from its tokens' probabilities, calibrated when asked", async () => {
    const ask = async (content: string, options: ConstructorParameters<typeof LocalModelProvider>[0] = {}) => {
      const events: ModelStreamEvent[] = [];
      const model = new LocalModelProvider({ maxOutputTokens: 24, confidenceCalibration: false, ...options });
      for await (const event of model.stream({ messages: [{ role: "user", content }], tools: [], toolChoice: "auto" }))
        events.push(event);
      return (events.at(-1) as Extract<ModelStreamEvent, { type: "finish" }>).confidence;
    };
    const sea = await ask("What is the sea?");
    const word = await ask("Write a made-up word of nine letters.");
    expect(sea).toBeGreaterThan(0);
    expect(sea).toBeLessThan(1);
    // Not a constant: another answer is another figure; the same answer, the same one.
    expect(word).not.toBeCloseTo(sea!, 4);
    expect(await ask("What is the sea?")).toBe(sea);
    // A calibration moves it (Platt scaling on the log-odds): here one logit up.
    const logit = Math.log(sea! / (1 - sea!));
    expect(await ask("What is the sea?", { confidenceCalibration: { slope: 1, intercept: 1 } })).toBeCloseTo(
      1 / (1 + Math.exp(-(logit + 1))),
      9,
    );
  });

  it("ends the generation before reusing its sequence when the reader stops early", async () => {
    const request: ModelRequest = {
      messages: [
        { role: "system", content: "You are a helpful assistant. Answer in one or two sentences." },
        { role: "user", content: "Tell me a long story about the sea." },
      ],
      tools: [],
      toolChoice: "auto",
    };
    const whole = text(await drain(request));
    // llama.cpp reports a decode into a sequence still in use through node-llama-cpp's console logger.
    const logged: string[] = [];
    const record = (...parts: unknown[]) => logged.push(parts.map(String).join(" "));
    const spies = [
      vi.spyOn(console, "warn").mockImplementation(record),
      vi.spyOn(console, "error").mockImplementation(record),
    ];
    // Stop after the first chunk (as the output guard does on a blocked sentence), again and again at
    // once: every next request must decode on the pooled sequences (the system turn restored from the
    // prefix cache each time), and answer as before.
    for (let attempt = 0; attempt < 6; attempt++) {
      for await (const event of provider.stream(request)) if (event.type === "text-delta") break;
      expect(text(await drain(request))).toBe(whole);
    }
    for (const spy of spies) spy.mockRestore();
    expect(logged.filter((line) => /decode|sequence positions/.test(line))).toEqual([]);
  });

  it("runs concurrent requests without mixing their streams", async () => {
    const questions = ["Name a fruit.", "Name a planet.", "Name an animal.", "Name a city."];
    const requests = questions.map(
      (content): ModelRequest => ({ messages: [{ role: "user", content }], tools: [], toolChoice: "auto" }),
    );
    const sequential: string[] = [];
    for (const request of requests) sequential.push(text(await drain(request)));
    const concurrent = await Promise.all(requests.map(async (request) => text(await drain(request))));
    expect(concurrent).toEqual(sequential);
  });

  it("fails with PROVIDER_CONTEXT_OVERFLOW, before generating, when the conversation cannot fit", async () => {
    const failure = await drain({
      messages: [{ role: "user", content: "lorem ipsum ".repeat(3000) }],
      tools: [],
      toolChoice: "auto",
    }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "PROVIDER_CONTEXT_OVERFLOW", fault: "provider", retryable: false });
    // The failed request gave its context sequence back: the next one is answered.
    const next = await drain({
      messages: [{ role: "user", content: "Hi" }],
      tools: [],
      toolChoice: "auto",
      maxOutputTokens: 4,
    });
    expect(next.at(-1)).toMatchObject({ type: "finish" });
  });

  it("fails with PROVIDER_NOT_CONFIGURED, which no retry can fix, when there is no model file", async () => {
    const missing = new LocalModelProvider({ modelPath: "/nonexistent/model.gguf" });
    await expect(missing.load()).rejects.toMatchObject({ code: "PROVIDER_NOT_CONFIGURED", retryable: false });
  });

  it("stops generating when the signal aborts", async () => {
    const controller = new AbortController();
    const events: ModelStreamEvent[] = [];
    for await (const event of provider.stream({
      messages: [{ role: "user", content: "Write a long story about a dragon." }],
      tools: [],
      toolChoice: "auto",
      maxOutputTokens: 400,
      signal: controller.signal,
    })) {
      events.push(event);
      if (events.length === 3) controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: "finish", reason: "abort" });
    expect(events.filter((event) => event.type === "text-delta").length).toBeLessThan(10);
  });

  it("always emits tool calls that are valid JSON for the tools' schemas", async () => {
    const tools: ToolDefinition[] = [
      {
        name: "get_weather",
        description: "Get the current weather for a city.",
        inputSchema: {
          type: "dict",
          properties: {
            city: { type: "string", description: "City name" },
            unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            days: { type: "integer" },
          },
          required: ["city"],
        },
      },
      {
        name: "convert_currency",
        description: "Convert an amount of money between currencies.",
        inputSchema: {
          type: "object",
          properties: { amount: { type: "float" }, from: { type: "string" }, to: { type: "string" } },
          required: ["amount", "from", "to"],
        },
      },
    ];
    const questions = [
      "What's the weather in Paris in fahrenheit?",
      "Convert 100 USD to EUR.",
      "Weather in Tokyo for 3 days and 50 GBP in JPY",
    ];
    let calls = 0;
    for (const question of questions) {
      const events = await drain({ messages: [{ role: "user", content: question }], tools, toolChoice: "auto" });
      for (const call of events.filter((event) => event.type === "tool-call")) {
        if (call.type !== "tool-call") continue;
        if (call.name === "get_weather") {
          expect(typeof call.arguments.city).toBe("string");
          if ("unit" in call.arguments) expect(["celsius", "fahrenheit"]).toContain(call.arguments.unit);
          if ("days" in call.arguments) expect(Number.isInteger(call.arguments.days)).toBe(true);
        } else {
          expect(call.name).toBe("convert_currency");
          expect(typeof call.arguments.amount).toBe("number");
          expect(typeof call.arguments.from).toBe("string");
        }
        expect(call.callId).toMatch(/^call_/);
        calls++;
      }
      expect(events.at(-1)).toMatchObject({ type: "finish" });
    }
    expect(calls).toBeGreaterThan(0);
  });

  it("compiles grammars the native sampler accepts, for zod and BFCL-style schemas", async () => {
    const { llama } = await provider.load();
    const tools: ToolDefinition[] = [
      {
        name: "a.b-c",
        description: "x",
        inputSchema: {
          type: "object",
          properties: {
            list: { type: "array", items: { type: "number" } },
            flag: { type: "boolean" },
            anything: {},
            short: { type: "string", maxLength: 20 },
          },
        },
      },
      {
        name: "nested",
        description: "y",
        inputSchema: {
          type: "object",
          properties: {
            inner: { type: "dict", properties: { n: { type: ["integer", "null"] } }, required: ["n"] },
            choice: { anyOf: [{ type: "string" }, { const: 3 }] },
          },
          required: ["inner"],
        },
      },
    ];
    for (const grammar of [
      buildToolCallGrammar(tools),
      buildToolCallObjectGrammar(tools),
      ...tools.map(buildToolArgumentsGrammar),
    ]) {
      await expect(llama.createGrammar({ grammar })).resolves.toBeDefined();
    }
  });

  it("makes a call when the tool choice is required, even for a message that needs none", async () => {
    const weather: ToolDefinition = {
      name: "weather",
      description: "Current weather for a city.",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    };
    const request = (toolChoice: ModelRequest["toolChoice"]): ModelRequest => ({
      messages: [{ role: "user", content: "Thanks, that is all." }],
      tools: [weather],
      toolChoice,
    });
    const required = await drain(request("required"));
    expect(required.filter((event) => event.type === "tool-call")).not.toHaveLength(0);
    expect(required.at(-1)).toMatchObject({ type: "finish", reason: "tool-calls" });
    expect((await drain(request("none"))).some((event) => event.type === "tool-call")).toBe(false);
  });
});

describe("parseCallList", () => {
  it("parses a whole list and keeps the complete calls of one cut short", async () => {
    const { parseCallList } = await import("./smollm2-format.ts");
    expect(parseCallList('[{"name": "a", "arguments": {"x": 1}}]')).toEqual([{ name: "a", arguments: { x: 1 } }]);
    expect(parseCallList('[{"name": "a", "arguments": {"x": 1}}, {"name": "b", "arguments": {"y": [1, 2')).toEqual([
      { name: "a", arguments: { x: 1 } },
    ]);
    expect(parseCallList('[{"name": "a", "arguments": {"x": [1, 2')).toEqual([]);
    expect(parseCallList("[]")).toEqual([]);
  });
});
