import { describe, expect, it } from "vitest";
import { z } from "zod";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { tool } from "../contracts/tool.ts";
import { ProviderError, ToolError } from "../contracts/errors.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { collectEvents, eventsOfType } from "../testing/collect.ts";
import { ToolRegistry } from "../tools/registry.ts";
import { Agent } from "./agent.ts";
import { toolResultInstruction } from "./build-messages.ts";
import type { SpecialistRouter } from "../specialists/specialist-router.ts";
import type { SafetyGuard } from "../safety/safety-guard.ts";

function registryWith(...tools: Parameters<typeof tool>[0][]) {
  return new ToolRegistry().register({ name: "test-tools", version: "1.0.0", tools });
}

const add = tool({
  name: "add",
  description: "Adds two numbers.",
  inputSchema: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => ({ sum: a + b }),
});

function slowEcho(name: string, delayMs: number, log: string[]) {
  return tool({
    name,
    description: `Echoes after ${delayMs} ms.`,
    inputSchema: z.object({ value: z.string() }),
    execute: async ({ value }, context) => {
      log.push(`start ${name}`);
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, delayMs);
        context.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(context.signal.reason);
        });
      });
      log.push(`end ${name}`);
      return value;
    },
  });
}

describe("Agent turn loop", () => {
  it("streams a text answer and stores the turn", async () => {
    const model = new ScriptedModel([{ text: "Hello there, friend." }]);
    const store = new InMemorySessionStore();
    const agent = new Agent({ model, store });
    const events = await collectEvents(agent.runTurn({ sessionId: "s1", text: "  hi  " }));

    expect(events[0]).toMatchObject({ type: "turn-start", sessionId: "s1" });
    expect(eventsOfType(events, "text-delta").map((event) => event.text)).toEqual(["Hello ", "there, ", "friend."]);
    const finish = eventsOfType(events, "turn-finish")[0]!;
    expect(finish).toMatchObject({ outcome: "completed", text: "Hello there, friend.", provider: "scripted" });
    expect(finish.usage.outputTokens).toBe(3);
    expect(finish.timings.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(finish.timings.totalMs).toBeGreaterThanOrEqual(finish.timings.timeToFirstTokenMs!);
    expect(Object.keys(finish.timings.steps).sort()).toEqual(["inputGuard", "loadContext", "model", "store", "tools"]);
    expect(model.requests[0]!.messages.at(-1)).toEqual({ role: "user", content: "hi" });
    expect(model.requests[0]!.toolChoice).toBe("none");
    // No tool offered: the default prompt's sentence about tool results is left out.
    expect(model.requests[0]!.messages[0]!.content).toBe(
      "You are a helpful assistant. Answer in one or two sentences. Always answer in English.",
    );
    expect(await store.history("s1")).toMatchObject([{ userText: "hi", assistantText: "Hello there, friend." }]);
    model.assertDone();
  });

  it("recalls earlier turns of the same session, and only of that session", async () => {
    const model = new ScriptedModel([{ text: "Noted." }, { text: "You are Ada." }, { text: "I don't know." }]);
    const agent = new Agent({ model });
    await collectEvents(agent.runTurn({ sessionId: "a", text: "My name is Ada." }));
    await collectEvents(agent.runTurn({ sessionId: "a", text: "What is my name?" }));
    await collectEvents(agent.runTurn({ sessionId: "b", text: "What is my name?" }));
    const contents = (index: number) => model.requests[index]!.messages.map((message) => message.content);
    expect(contents(1)).toContain("My name is Ada.");
    expect(contents(1)).toContain("Noted.");
    expect(contents(2)).not.toContain("My name is Ada.");
  });

  it("runs a call as the tool reconciles it with the user's words, and drops one it finds no ground for", async () => {
    const seen: unknown[] = [];
    const grounded = tool({
      name: "lookup",
      description: "Looks up a city.",
      inputSchema: z.object({ city: z.string() }),
      reconcile: (args, context) =>
        context.userText.includes(String(args.city)) ? { city: String(args.city).toUpperCase() } : null,
      execute: ({ city }) => {
        seen.push(city);
        return { city };
      },
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "lookup", arguments: { city: "Lima" }, callId: "c1" }] },
      { text: "Done." },
      { toolCalls: [{ name: "lookup", arguments: { city: "Tokyo" }, callId: "c2" }] },
      {
        text: "Water boils at 100 °C.",
        expect: (request) => {
          expect(request.toolChoice).toBe("none");
          expect(request.messages.some((message) => message.role === "tool")).toBe(false);
          // No tool left to offer: the prompt says nothing of tool results.
          expect(request.messages[0]!.content).not.toContain("When a tool gives a result");
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(grounded) });
    const first = await collectEvents(agent.runTurn({ sessionId: "r", text: "Weather in Lima?" }));
    expect(eventsOfType(first, "tool-call")[0]).toMatchObject({ arguments: { city: "LIMA" } });
    expect(seen).toEqual(["LIMA"]);

    const second = await collectEvents(agent.runTurn({ sessionId: "r2", text: "When does water boil?" }));
    expect(eventsOfType(second, "tool-call")).toEqual([]);
    expect(eventsOfType(second, "turn-finish")[0]).toMatchObject({ text: "Water boils at 100 °C." });
    expect(seen).toEqual(["LIMA"]);
    model.assertDone();
  });

  it("offers the other tools again when every call of a round was dropped", async () => {
    const priced = tool({
      name: "currency",
      description: "Converts money.",
      inputSchema: z.object({ from: z.string() }),
      reconcile: () => null,
      execute: () => ({ rate: 1 }),
    });
    const search = tool({
      name: "search",
      description: "Searches the web.",
      inputSchema: z.object({ query: z.string() }),
      execute: ({ query }) => ({ results: [query] }),
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "currency", arguments: { from: "XAU" }, callId: "c1" }] },
      {
        toolCalls: [{ name: "search", arguments: { query: "gold price" }, callId: "c2" }],
        expect: (request) => {
          expect(request.tools.map((definition) => definition.name)).toEqual(["search"]);
          expect(request.toolChoice).toBe("auto");
        },
      },
      { text: "Gold is at 2,000." },
    ]);
    const agent = new Agent({ model, tools: registryWith(priced, search) });
    const events = await collectEvents(agent.runTurn({ sessionId: "g", text: "Price of gold today?" }));
    expect(eventsOfType(events, "tool-call").map((event) => event.name)).toEqual(["search"]);
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({ text: "Gold is at 2,000.", toolsUsed: ["search"] });
    model.assertDone();
  });

  it("runs a tool round trip and gives the result back to the model", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "add", arguments: { a: 2, b: 3 }, callId: "c1" }] },
      {
        text: "The sum is 5.",
        expect: (request) => {
          const toolMessage = request.messages.find((message) => message.role === "tool");
          expect(toolMessage).toMatchObject({ role: "tool", callId: "c1", isError: false });
          expect(JSON.parse(toolMessage!.content)).toEqual({ result: { sum: 5 } });
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(add) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "2+3?" }));

    expect(events.map((event) => event.type)).toEqual([
      "turn-start",
      "tool-call",
      "tool-result",
      "text-delta",
      "text-delta",
      "text-delta",
      "text-delta",
      "turn-finish",
    ]);
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({ callId: "c1", name: "add", result: { sum: 5 } });
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({ text: "The sum is 5.", toolsUsed: ["add"] });
    expect(model.requests[0]!.tools.map((definition) => definition.name)).toEqual(["add"]);
    expect(model.requests[0]!.messages[0]!.content).toContain("When a tool gives a result, use it in your answer.");
    model.assertDone();
  });

  it("runs independent tool calls in parallel and reports each as it finishes", async () => {
    const log: string[] = [];
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "slow", arguments: { value: "s" }, callId: "slow-call" },
          { name: "fast", arguments: { value: "f" }, callId: "fast-call" },
        ],
      },
      {
        text: "done",
        expect: (request) => {
          const order = request.messages
            .filter((message) => message.role === "tool")
            .map((message) => message.role === "tool" && message.callId);
          expect(order).toEqual(["slow-call", "fast-call"]);
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(slowEcho("slow", 150, log), slowEcho("fast", 10, log)) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "go" }));

    expect(log).toEqual(["start slow", "start fast", "end fast", "end slow"]);
    expect(eventsOfType(events, "tool-result").map((event) => event.callId)).toEqual(["fast-call", "slow-call"]);
  });

  it("sends a tool failure back to the model as a structured error and keeps the turn alive", async () => {
    const broken = tool({
      name: "broken",
      description: "Always fails.",
      inputSchema: z.object({}),
      execute: () => {
        throw new Error("disk on fire");
      },
    });
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "broken", arguments: {} },
          { name: "add", arguments: { a: "two" } },
          { name: "missing", arguments: {} },
        ],
      },
      {
        text: "Sorry, the tools failed.",
        expect: (request) => {
          const errors = request.messages.filter((message) => message.role === "tool" && message.isError);
          expect(errors).toHaveLength(3);
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(broken, add) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "break" }));

    const codes = eventsOfType(events, "tool-result")
      .map((event) => event.error?.code)
      .sort();
    expect(codes).toEqual(["TOOL_FAILED", "TOOL_INVALID_INPUT", "TOOL_NOT_FOUND"]);
    expect(eventsOfType(events, "tool-result").find((event) => event.name === "broken")?.error?.message).toContain(
      "disk on fire",
    );
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", outcome: "completed" });
  });

  it("tells the model in one sentence which service could not answer a request, and why", async () => {
    const forecast = tool({
      name: "forecast",
      description: "A forecast from an outside service.",
      inputSchema: z.object({}),
      service: "Open-Meteo",
      execute: () => {
        throw new ToolError("TOOL_FAILED", 'No place called "Atlantis" was found.');
      },
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "forecast", arguments: {} }] },
      {
        text: "There is no place called Atlantis.",
        expect: (request) => {
          const failure = request.messages.find((message) => message.role === "tool");
          expect(failure?.isError).toBe(true);
          expect(failure?.content).toBe('Error: Open-Meteo could not answer: No place called "Atlantis" was found.');
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(forecast) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "forecast?" }));
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", text: "There is no place called Atlantis." });
  });

  it("answers itself, naming the services in the user's language, when every service failed", async () => {
    const offline = (name: string, service: string, code: "TOOL_UNAVAILABLE" | "TOOL_NOT_CONFIGURED") =>
      tool({
        name,
        description: `Asks ${service}.`,
        inputSchema: z.object({}),
        service,
        execute: () => {
          throw new ToolError(code, `${service} is down.`);
        },
      });
    const tools = registryWith(
      offline("forecast", "Open-Meteo", "TOOL_UNAVAILABLE"),
      offline("rates", "Frankfurter", "TOOL_UNAVAILABLE"),
      offline("search", "Brave Search", "TOOL_NOT_CONFIGURED"),
    );
    // One model round only: the script has no second step, so a second round would fail the turn.
    const agent = new Agent({
      model: new ScriptedModel([
        {
          toolCalls: [
            { name: "forecast", arguments: {} },
            { name: "rates", arguments: {} },
          ],
        },
        { toolCalls: [{ name: "search", arguments: {} }] },
      ]),
      tools,
    });
    const spanish = await collectEvents(
      agent.runTurn({ sessionId: "es", text: "¿Qué tiempo hace y a cuánto está el euro?" }),
    );
    expect(spanish.at(-1)).toMatchObject({
      type: "turn-finish",
      outcome: "completed",
      answerSegment: 1,
      text: "No pude obtener ese dato de Open-Meteo y Frankfurter: no se pudo conectar. No voy a inventar la respuesta; inténtalo de nuevo más tarde.",
    });
    expect(eventsOfType(spanish, "text-delta").map((event) => event.segment)).toEqual([1]);
    const english = await collectEvents(agent.runTurn({ sessionId: "en", text: "Search the news please" }));
    expect(english.at(-1)).toMatchObject({
      type: "turn-finish",
      text: "I couldn't get that from Brave Search: it is not set up on this server. I won't guess the answer; please try again later.",
    });
  });

  it("answers from the calls that worked and adds itself which services could not answer", async () => {
    const multiply = tool({
      name: "multiply",
      description: "Multiplies.",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => ({ product: a * b }),
    });
    const forecast = tool({
      name: "forecast",
      description: "A forecast.",
      inputSchema: z.object({ city: z.string() }),
      service: "Open-Meteo",
      execute: () => {
        throw new ToolError("TOOL_UNAVAILABLE", "api.open-meteo.com could not be reached.");
      },
    });
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "multiply", arguments: { a: 15, b: 24 } },
          { name: "forecast", arguments: { city: "Madrid" } },
        ],
      },
      {
        text: "15 por 24 son 360.",
        // The model sees the call that worked, and nothing of the one that failed.
        expect: (request) => {
          const calls = request.messages.flatMap((message) =>
            message.role === "assistant" ? (message.toolCalls ?? []) : [],
          );
          expect(calls.map((call) => call.name)).toEqual(["multiply"]);
          const results = request.messages.filter((message) => message.role === "tool");
          expect(results.map((message) => message.role === "tool" && message.name)).toEqual(["multiply"]);
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(multiply, forecast) });
    const events = await collectEvents(
      agent.runTurn({ sessionId: "mixed", text: "¿Cuánto es 15 por 24 y qué tiempo hace en Madrid?" }),
    );
    // Both calls are reported to the client, the failure with its code.
    expect(eventsOfType(events, "tool-result").map((event) => event.name)).toEqual(["multiply", "forecast"]);
    expect(events.at(-1)).toMatchObject({
      type: "turn-finish",
      outcome: "completed",
      text: "15 por 24 son 360. No pude obtener ese dato de Open-Meteo: no se pudo conectar. No voy a inventar la respuesta; inténtalo de nuevo más tarde.",
    });
  });

  it("prepares the model, the guard and the specialist router side by side, reading no prompt", async () => {
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Each part waits until all three have started: run one after another, prepare would never end.
    const part = (name: string) => async () => {
      started.push(name);
      if (started.length === 3) release();
      await gate;
      return 0;
    };
    const warmUps: unknown[] = [];
    const model = Object.assign(new ScriptedModel([]), {
      warmUp: async (requests: readonly unknown[]) => {
        warmUps.push(requests);
        return part("model")();
      },
    });
    const safety = { load: part("safety") } as unknown as SafetyGuard;
    const specialists = { specialists: [], load: part("specialists") } as unknown as SpecialistRouter;
    await new Agent({ model, safety, specialists }).prepare();
    expect(started.sort()).toEqual(["model", "safety", "specialists"]);
    expect(warmUps).toEqual([[]]);
  });

  it("warms the model up with its system prompt in each language, with no tool and each tool alone", async () => {
    const seen: Array<{ system: string; tools: string[] }> = [];
    const model = new ScriptedModel([]);
    const warmable = Object.assign(model, {
      warmUp: async (
        requests: readonly { messages: readonly { content: string }[]; tools: readonly { name: string }[] }[],
      ) => {
        for (const request of requests)
          seen.push({ system: request.messages[0]!.content, tools: request.tools.map((tool) => tool.name) });
        return requests.length;
      },
    });
    const tools = registryWith(
      tool({ name: "alpha", description: "A.", inputSchema: z.object({}), execute: () => 1 }),
      tool({ name: "beta", description: "B.", inputSchema: z.object({}), execute: () => 2 }),
    );
    const agent = new Agent({ model: warmable, tools, systemPrompt: "Be helpful." });
    expect(await agent.warmUp(["en", "es"])).toBe(6);
    // Plain chat first, for every prompt and language; then each tool alone.
    expect(seen).toEqual([
      { system: "Be helpful. Always answer in English.", tools: [] },
      { system: "Be helpful. Always answer in Spanish.", tools: [] },
      { system: "Be helpful. Always answer in English.", tools: ["alpha"] },
      { system: "Be helpful. Always answer in English.", tools: ["beta"] },
      { system: "Be helpful. Always answer in Spanish.", tools: ["alpha"] },
      { system: "Be helpful. Always answer in Spanish.", tools: ["beta"] },
    ]);
    // The default prompt's sentence on tool results is said only where a tool is offered, as in turns.
    seen.length = 0;
    await new Agent({ model: warmable, tools }).warmUp(["en"]);
    // Plain chat, the answer after tool results (no tool listed), then each tool.
    expect(seen.map((request) => [request.system.includes(toolResultInstruction), request.tools.length])).toEqual([
      [false, 0],
      [true, 0],
      [true, 1],
      [true, 1],
    ]);
    // With specialists, each one's prompt (a router picks one for every turn).
    seen.length = 0;
    const router = {
      specialists: [{ systemPrompt: "Plan trips." }, { systemPrompt: "Mind money." }],
      load: async () => {},
    } as unknown as SpecialistRouter;
    const withSpecialists = new Agent({ model: warmable, tools, specialists: router });
    expect(await withSpecialists.warmUp(["en"])).toBe(6);
    expect(seen.map((request) => `${request.system} [${request.tools.join()}]`)).toEqual([
      "Plan trips. Always answer in English. []",
      "Mind money. Always answer in English. []",
      "Plan trips. Always answer in English. [alpha]",
      "Plan trips. Always answer in English. [beta]",
      "Mind money. Always answer in English. [alpha]",
      "Mind money. Always answer in English. [beta]",
    ]);
    expect(await new Agent({ model: new ScriptedModel([]) }).warmUp()).toBe(0);
    // Capped at 56, plain chat kept: many tools do not crowd it out of the prompt cache.
    seen.length = 0;
    const many = registryWith(
      ...Array.from({ length: 30 }, (_, index) =>
        tool({ name: `tool_${index}`, description: "T.", inputSchema: z.object({}), execute: () => index }),
      ),
    );
    expect(await new Agent({ model: warmable, tools: many, systemPrompt: "Be helpful." }).warmUp(["en", "es"])).toBe(
      56,
    );
    expect(seen.slice(0, 2).map((request) => request.tools.length)).toEqual([0, 0]);
  });

  it("hands service failures to the model when asked to", async () => {
    const offline = tool({
      name: "forecast",
      description: "A forecast.",
      inputSchema: z.object({}),
      service: "Open-Meteo",
      execute: () => {
        throw new ToolError("TOOL_TIMEOUT", "api.open-meteo.com did not answer in time.");
      },
    });
    const agent = new Agent({
      model: new ScriptedModel([
        { toolCalls: [{ name: "forecast", arguments: {} }] },
        { text: "Open-Meteo is slow today." },
      ]),
      tools: registryWith(offline),
      serviceFailureAnswers: "model",
    });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "forecast?" }));
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", text: "Open-Meteo is slow today." });
  });

  it("asks for the answer in the user's language, keeping it for a follow-up that shows none", async () => {
    const systemPrompts: string[] = [];
    const recordSystem = (request: { messages: readonly { role: string; content: string }[] }) => {
      systemPrompts.push(request.messages[0]?.content ?? "");
    };
    const model = new ScriptedModel([
      { text: "Hace sol.", expect: recordSystem },
      { text: "84", expect: recordSystem },
      { text: "It is sunny.", expect: recordSystem },
    ]);
    const agent = new Agent({ model });
    await collectEvents(agent.runTurn({ sessionId: "es", text: "¿Qué tiempo hace en Madrid?" }));
    await collectEvents(agent.runTurn({ sessionId: "es", text: "12*7" }));
    await collectEvents(agent.runTurn({ sessionId: "en", text: "What's the weather in Madrid?" }));
    expect(systemPrompts[0]).toMatch(/ Always answer in Spanish\.$/);
    expect(systemPrompts[1]).toMatch(/ Always answer in Spanish\.$/);
    expect(systemPrompts[2]).toMatch(/ Always answer in English\.$/);
  });

  it("reminds the model of the language after a message unlike the last answer, in the rounds that answer only", async () => {
    const lastUserMessage = (request: { messages: readonly { role: string; content: string }[] }) =>
      request.messages.filter((message) => message.role === "user").at(-1)?.content;
    const model = new ScriptedModel([
      { text: "12 times 7 is 84." },
      { toolCalls: [{ name: "add", arguments: { a: 15, b: 21 }, callId: "c1" }] },
      { text: "Son 36." },
    ]);
    const agent = new Agent({ model, tools: registryWith(add) });
    await collectEvents(agent.runTurn({ sessionId: "mixed", text: "What is 12*7?" }));
    await collectEvents(agent.runTurn({ sessionId: "mixed", text: "¿Cuánto es 15 más 21?" }));
    // The round that decides on tools reads the message as written; the one that answers, reminded.
    expect(lastUserMessage(model.requests[1]!)).toBe("¿Cuánto es 15 más 21?");
    expect(lastUserMessage(model.requests[2]!)).toBe("¿Cuánto es 15 más 21?\n\n(Responde en español.)");
    expect((await agent.store.history("mixed")).at(-1)?.userText).toBe("¿Cuánto es 15 más 21?");
  });

  it("times out a slow tool", async () => {
    const stuck = tool({
      name: "stuck",
      description: "Never finishes on time.",
      inputSchema: z.object({}),
      timeoutMs: 20,
      execute: () => new Promise(() => {}),
    });
    const model = new ScriptedModel([{ toolCalls: [{ name: "stuck", arguments: {} }] }, { text: "It timed out." }]);
    const agent = new Agent({ model, tools: registryWith(stuck) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "wait" }));
    expect(eventsOfType(events, "tool-result")[0]?.error).toMatchObject({ code: "TOOL_TIMEOUT", retryable: true });
  });

  it("stops asking for tools after the maximum number of rounds", async () => {
    const again = { toolCalls: [{ name: "add", arguments: { a: 1, b: 1 } }] };
    const model = new ScriptedModel([
      again,
      again,
      { text: "Final answer: 2.", expect: (request) => expect(request.toolChoice).toBe("none") },
    ]);
    const agent = new Agent({ model, tools: registryWith(add), maxToolRounds: 2 });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "loop" }));

    expect(eventsOfType(events, "tool-call")).toHaveLength(2);
    expect(eventsOfType(events, "tool-rounds-exhausted")).toEqual([
      expect.objectContaining({ maxToolRounds: 2, message: expect.stringContaining("exhausted") }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", text: "Final answer: 2." });
    model.assertDone();
  });

  it("ends with TURN_MAX_ROUNDS when the model ignores the last round's toolChoice", async () => {
    const again = { toolCalls: [{ name: "add", arguments: { a: 1, b: 1 } }] };
    const model = new ScriptedModel([again, again]);
    const agent = new Agent({ model, tools: registryWith(add), maxToolRounds: 1 });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "loop" }));
    expect(events.at(-1)).toMatchObject({ type: "error", code: "TURN_MAX_ROUNDS" });
  });

  it("aborts mid-stream: the model stops, and the turn ends with an aborted finish", async () => {
    const model = new ScriptedModel([{ text: ["one ", "two ", "three ", "four ", "five"], delayMs: 30 }]);
    const agent = new Agent({ model });
    const controller = new AbortController();
    const events = [];
    for await (const event of agent.runTurn({ sessionId: "s", text: "count", signal: controller.signal })) {
      events.push(event);
      if (event.type === "text-delta" && event.text === "two ") controller.abort();
    }
    expect(eventsOfType(events, "text-delta").map((event) => event.text)).toEqual(["one ", "two "]);
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", outcome: "aborted", text: "one two " });
    expect(await agent.store.history("s")).toEqual([]);
  });

  it("aborts running tools", async () => {
    const log: string[] = [];
    const model = new ScriptedModel([{ toolCalls: [{ name: "slow", arguments: { value: "x" } }] }, { text: "unused" }]);
    const agent = new Agent({ model, tools: registryWith(slowEcho("slow", 5_000, log)) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "go", signal: controller.signal }));
    expect(log).toEqual(["start slow"]);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(events.at(-1)).toMatchObject({ type: "turn-finish", outcome: "aborted" });
    expect(model.remainingSteps).toBe(1);
  });

  it("turns a provider failure into a typed error event after the streamed text", async () => {
    const model = new ScriptedModel([
      { text: "partial ", error: new ProviderError("PROVIDER_FAILED", "upstream closed") },
    ]);
    const agent = new Agent({ model });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "hi" }));
    expect(events.map((event) => event.type)).toEqual(["turn-start", "text-delta", "error"]);
    expect(events.at(-1)).toMatchObject({ code: "PROVIDER_FAILED", message: "upstream closed", retryable: true });
  });

  it("logs a failed turn with its session and turn, through a child logger or in the line itself", async () => {
    const lines: { message: string; fields: Record<string, unknown> }[] = [];
    const record = (bindings: Record<string, unknown>) => (message: string, fields?: Record<string, unknown>) =>
      lines.push({ message, fields: { ...bindings, ...fields } });
    const plain = { debug() {}, info() {}, error() {}, warn: record({}) };
    const withChild = {
      ...plain,
      child: (bindings: Record<string, unknown>) => ({ ...plain, warn: record(bindings) }),
    };
    for (const logger of [plain, withChild]) {
      const model = new ScriptedModel([{ error: new ProviderError("PROVIDER_FAILED", "upstream closed") }]);
      await collectEvents(new Agent({ model, logger }).runTurn({ sessionId: "s-log", text: "hi", turnId: "t-log" }));
    }
    expect(lines).toEqual([
      {
        message: "turn failed",
        fields: expect.objectContaining({ sessionId: "s-log", turnId: "t-log", code: "PROVIDER_FAILED" }),
      },
      {
        message: "turn failed",
        fields: expect.objectContaining({ sessionId: "s-log", turnId: "t-log", code: "PROVIDER_FAILED" }),
      },
    ]);
  });

  it("rejects empty and over-long input without calling the model", async () => {
    const model = new ScriptedModel([]);
    const agent = new Agent({ model, maxInputChars: 10 });
    const empty = await collectEvents(agent.runTurn({ sessionId: "s", text: "   " }));
    const long = await collectEvents(agent.runTurn({ sessionId: "s", text: "x".repeat(11) }));
    expect(empty.at(-1)).toMatchObject({ type: "error", code: "INPUT_EMPTY", retryable: false });
    expect(long.at(-1)).toMatchObject({ type: "error", code: "INPUT_TOO_LONG" });
    expect(model.requests).toHaveLength(0);
  });

  it("serializes turns of one session so the second sees the first", async () => {
    const model = new ScriptedModel([{ text: "first answer", delayMs: 20 }, { text: "second answer" }]);
    const agent = new Agent({ model });
    await Promise.all([
      collectEvents(agent.runTurn({ sessionId: "s", text: "first" })),
      collectEvents(agent.runTurn({ sessionId: "s", text: "second" })),
    ]);
    expect(model.requests[1]!.messages.map((message) => message.content)).toContain("first answer");
  });
});

describe("Agent with two messages at once on one session", () => {
  it("rejects the second with SESSION_BUSY under the reject policy, and finishes the first", async () => {
    const model = new ScriptedModel([{ text: "a long first answer", delayMs: 30 }]);
    const agent = new Agent({ model, whileBusy: "reject" });
    const [first, second] = await Promise.all([
      collectEvents(agent.runTurn({ sessionId: "s", text: "first" })),
      collectEvents(agent.runTurn({ sessionId: "s", text: "second" })),
    ]);
    expect(first.at(-1)).toMatchObject({ type: "turn-finish", outcome: "completed" });
    expect(second.map((event) => event.type)).toEqual(["turn-start", "error"]);
    expect(second.at(-1)).toMatchObject({ code: "SESSION_BUSY", retryable: true });
    model.assertDone();
  });

  it("interrupts the running turn under the interrupt policy, keeping what it had said, then answers", async () => {
    const store = new InMemorySessionStore();
    const model = new ScriptedModel([
      { text: "Let me think about Kyoto for a long while", delayMs: 200 },
      { text: "Tokyo instead, then." },
    ]);
    const agent = new Agent({ model, store, whileBusy: "interrupt" });
    const firstEvents: Awaited<ReturnType<typeof collectEvents>> = [];
    const firstDone = (async () => {
      for await (const event of agent.runTurn({ sessionId: "s", text: "Plan Kyoto" })) firstEvents.push(event);
    })();
    // The second message arrives once the first answer has begun streaming.
    await expect.poll(() => firstEvents.some((event) => event.type === "text-delta")).toBe(true);
    const second = await collectEvents(agent.runTurn({ sessionId: "s", text: "No, Tokyo" }));
    await firstDone;
    expect(firstEvents.at(-1)).toMatchObject({ type: "turn-finish", outcome: "aborted" });
    expect(second.at(-1)).toMatchObject({ type: "turn-finish", outcome: "completed", text: "Tokyo instead, then." });
    const history = await store.history("s");
    expect(history.map((turn) => [turn.userText, turn.error?.code])).toEqual([
      ["Plan Kyoto", "TURN_ABORTED"],
      ["No, Tokyo", undefined],
    ]);
    expect(history[0]!.assistantText.length).toBeGreaterThan(0);
    // The second turn's model saw the interrupted one.
    expect(model.requests[1]!.messages.map((message) => message.content)).toContain("Plan Kyoto");
  });

  it("queues by default: both answered in order, never interleaved", async () => {
    const model = new ScriptedModel([{ text: "one", delayMs: 20 }, { text: "two" }]);
    const agent = new Agent({ model });
    const events: string[] = [];
    await Promise.all(
      ["first", "second"].map(async (text) => {
        for await (const event of agent.runTurn({ sessionId: "s", text }))
          if (event.type !== "text-delta") events.push(`${text}:${event.type}`);
      }),
    );
    // Every event of the second turn after its start comes after the first turn finished.
    const afterStart = events.filter((event) => !event.endsWith("turn-start"));
    const firstFinished = afterStart.indexOf("first:turn-finish");
    expect(firstFinished).toBeGreaterThanOrEqual(0);
    expect(afterStart.slice(0, firstFinished).some((event) => event.startsWith("second:"))).toBe(false);
    expect(afterStart.at(-1)).toBe("second:turn-finish");
  });
});

describe("Agent keeps personal data out of the store", () => {
  it("answers from the message as written, and stores (and later recalls) it redacted", async () => {
    const store = new InMemorySessionStore();
    const model = new ScriptedModel([
      {
        text: "I will remember your card 4111 1111 1111 1111 and ana@example.com.",
        expect: (request) => expect(request.messages.at(-1)!.content).toContain("4111 1111 1111 1111"),
      },
      {
        text: "Yes.",
        expect: (request) => {
          const recalled = request.messages.map((message) => message.content).join("\n");
          expect(recalled).not.toContain("4111");
          expect(recalled).toContain("My card is [CARD], mail me at [EMAIL]");
        },
      },
    ]);
    const agent = new Agent({ model, store });
    await collectEvents(
      agent.runTurn({ sessionId: "s", text: "My card is 4111 1111 1111 1111, mail me at ana@example.com" }),
    );
    await collectEvents(agent.runTurn({ sessionId: "s", text: "Did you keep it?" }));
    const [first] = await store.history("s");
    expect(first).toMatchObject({
      userText: "My card is [CARD], mail me at [EMAIL]",
      assistantText: "I will remember your card [CARD] and [EMAIL].",
    });
    model.assertDone();
  });
});

describe("Agent planOnly turns", () => {
  it("reports the model's tool calls without running them, and finishes with usage", async () => {
    let ran = false;
    const watched = tool({
      name: "watched",
      description: "Must not run.",
      inputSchema: z.object({}),
      execute: () => {
        ran = true;
      },
    });
    const model = new ScriptedModel([
      { toolCalls: [{ name: "watched", arguments: {} }], usage: { inputTokens: 7, outputTokens: 3 } },
    ]);
    const agent = new Agent({ model, tools: registryWith(watched) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "plan", planOnly: true }));
    expect(events.map((event) => event.type)).toEqual(["turn-start", "tool-call", "turn-finish"]);
    expect(events.at(-1)).toMatchObject({ toolsUsed: ["watched"], usage: { inputTokens: 7, outputTokens: 3 } });
    expect(ran).toBe(false);
    model.assertDone();
  });
});

describe("Agent cost per turn", () => {
  it("prices the turn's tokens with the model's entry, and leaves unknown models without a figure", async () => {
    const priced = new Agent({
      model: new ScriptedModel([{ text: "hi", usage: { inputTokens: 1_000, outputTokens: 2_000 } }], { id: "paid" }),
      prices: { paid: { inputPerMillion: 1, outputPerMillion: 10 } },
    });
    const [finish] = eventsOfType(await collectEvents(priced.runTurn({ sessionId: "s", text: "hi" })), "turn-finish");
    expect(finish!.costUsd).toBeCloseTo(0.021);
    const unknown = new Agent({ model: new ScriptedModel([{ text: "hi" }], { id: "mystery" }) });
    const [other] = eventsOfType(await collectEvents(unknown.runTurn({ sessionId: "s", text: "hi" })), "turn-finish");
    expect(other!.costUsd).toBeUndefined();
  });
});

describe("Agent keeps the user's message when a turn fails", () => {
  it("stores the message with the error, and the next turn sees it", async () => {
    const model = new ScriptedModel([
      { error: new ProviderError("PROVIDER_UNAVAILABLE", "all providers down") },
      { text: "Sorry about that. Your question was about Rome." },
    ]);
    const store = new InMemorySessionStore();
    const agent = new Agent({ model, store });
    const failed = await collectEvents(agent.runTurn({ sessionId: "s", text: "Tell me about Rome" }));
    expect(failed.at(-1)).toMatchObject({ type: "error", code: "PROVIDER_UNAVAILABLE", retryable: true });
    expect(await store.history("s")).toMatchObject([
      { userText: "Tell me about Rome", assistantText: "", error: { code: "PROVIDER_UNAVAILABLE" } },
    ]);
    await collectEvents(agent.runTurn({ sessionId: "s", text: "Are you back?" }));
    expect(model.requests[1]!.messages.map((message) => message.content)).toContain("Tell me about Rome");
  });
});

describe("Agent with a tool router", () => {
  const echo = tool({
    name: "echo",
    description: "Echoes a value.",
    inputSchema: z.object({ value: z.string() }),
    execute: ({ value }) => value,
  });

  it("requires a call in the first round when the router is confident, then lets the model answer", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "add", arguments: { a: 1, b: 2 }, callId: "c1" }] },
      { text: "3." },
    ]);
    const seen: { message: string; previous: string | undefined }[] = [];
    const agent = new Agent({
      model,
      tools: registryWith(add, echo),
      toolRouter: async (message, tools, context) => {
        seen.push({ message, previous: context?.previousUserText });
        return { tools: tools.filter((definition) => definition.name === "add"), toolChoice: "required" };
      },
    });
    await collectEvents(agent.runTurn({ sessionId: "s", text: "1+2?" }));
    expect(model.requests.map((request) => request.toolChoice)).toEqual(["required", "auto"]);
    expect(model.requests[0]!.tools.map((definition) => definition.name)).toEqual(["add"]);
    expect(seen).toEqual([{ message: "1+2?", previous: undefined }]);
    model.assertDone();
  });

  it("asks the first round for one call to each tool the router names for the message's parts", async () => {
    const model = new ScriptedModel([
      {
        toolCalls: [
          { name: "add", arguments: { a: 1, b: 2 } },
          { name: "echo", arguments: { value: "x" } },
        ],
      },
      { text: "3, and x." },
    ]);
    const agent = new Agent({
      model,
      tools: registryWith(add, echo),
      toolRouter: (_message, tools) => ({ tools, toolChoice: "required", callEach: ["add", "echo"] }),
    });
    await collectEvents(agent.runTurn({ sessionId: "s", text: "1+2, and echo x" }));
    expect(model.requests.map((request) => request.requiredTools)).toEqual([["add", "echo"], undefined]);
    model.assertDone();
  });

  it("offers no tools when the router says none, and tells it the previous message", async () => {
    const model = new ScriptedModel([{ text: "Hi!" }, { text: "Fine, thanks." }]);
    const previous: (string | undefined)[] = [];
    const agent = new Agent({
      model,
      tools: registryWith(add),
      toolRouter: (_message, tools, context) => {
        previous.push(context?.previousUserText);
        return { tools: [...tools], toolChoice: "none" };
      },
    });
    await collectEvents(agent.runTurn({ sessionId: "s", text: "Hello" }));
    await collectEvents(agent.runTurn({ sessionId: "s", text: "How are you?" }));
    expect(model.requests.map((request) => [request.toolChoice, request.tools.length])).toEqual([
      ["none", 0],
      ["none", 0],
    ]);
    expect(previous).toEqual([undefined, "Hello"]);
  });
});

describe("Agent answer segments", () => {
  it("numbers text by model round: text before a tool round is segment 0, the answer after it segment 1", async () => {
    const model = new ScriptedModel([
      { text: ["Let me ", "add."], toolCalls: [{ name: "add", arguments: { a: 2, b: 3 } }] },
      { text: ["It is ", "5."] },
    ]);
    const agent = new Agent({ model, tools: registryWith(add) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "2+3?" }));

    expect(eventsOfType(events, "text-delta").map((event) => [event.segment, event.text])).toEqual([
      [0, "Let me "],
      [0, "add."],
      [1, "It is "],
      [1, "5."],
    ]);
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({ text: "It is 5.", answerSegment: 1 });
    expect(await agent.store.history("s")).toMatchObject([{ assistantText: "It is 5." }]);
  });

  it("names the segment of an answer that had no text of its own", async () => {
    const model = new ScriptedModel([
      { text: "Checking.", toolCalls: [{ name: "add", arguments: { a: 1, b: 1 } }] },
      { text: [] },
    ]);
    const agent = new Agent({ model, tools: registryWith(add) });
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "1+1?" }));
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({ text: "", answerSegment: 1 });
  });
});

describe("Agent turns that say what they want", () => {
  it("offers and runs the turn's own tools instead of the registry's, under its own prompt and output limit", async () => {
    const multiply = tool({
      name: "multiply",
      description: "Multiplies two numbers.",
      inputSchema: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => ({ product: a * b }),
    });
    const model = new ScriptedModel([
      {
        toolCalls: [{ name: "multiply", arguments: { a: 6, b: 7 } }],
        expect: (request) => {
          expect(request.tools.map((definition) => definition.name)).toEqual(["multiply"]);
          expect(request.messages[0]).toEqual({ role: "system", content: "You multiply." });
          expect(request.maxOutputTokens).toBe(12);
        },
      },
      { text: "42", expect: (request) => expect(request.maxOutputTokens).toBe(12) },
      {
        text: "Back to normal.",
        expect: (request) => {
          expect(request.tools.map((definition) => definition.name)).toEqual(["add"]);
          expect(request.messages[0]!.content).not.toContain("You multiply.");
          expect(request.maxOutputTokens).toBe(64);
        },
      },
    ]);
    const agent = new Agent({ model, tools: registryWith(add), maxOutputTokens: 64 });
    const events = await collectEvents(
      agent.runTurn({
        sessionId: "s",
        text: "6 times 7?",
        tools: [multiply],
        systemPrompt: "You multiply.",
        maxOutputTokens: 12,
      }),
    );
    expect(eventsOfType(events, "tool-result")[0]).toMatchObject({ name: "multiply", result: { product: 42 } });
    await collectEvents(agent.runTurn({ sessionId: "t", text: "and now?" }));
    model.assertDone();
  });

  it("ends with a typed error when the turn's own tools are invalid", async () => {
    const model = new ScriptedModel([]);
    const agent = new Agent({ model });
    const nameless = { ...add, name: "not a name" };
    const events = await collectEvents(agent.runTurn({ sessionId: "s", text: "hi", tools: [nameless] }));
    expect(events.at(-1)).toMatchObject({ type: "error", code: "PLUGIN_INVALID" });
    expect(model.requests).toHaveLength(0);
  });

  it("takes a stateless turn's context from the caller's history and keeps nothing in the store", async () => {
    const model = new ScriptedModel([
      {
        text: "Ada.",
        expect: (request) => {
          expect(request.messages[0]!.content).toMatch(/\n\nAnswer briefly\.$/);
          expect(request.messages.slice(1)).toEqual([
            { role: "user", content: "My name is Ada." },
            { role: "assistant", content: "Noted." },
            { role: "user", content: "What is my name?" },
          ]);
        },
      },
      { error: new ProviderError("PROVIDER_UNAVAILABLE", "down") },
    ]);
    const store = new InMemorySessionStore();
    const agent = new Agent({ model, store });
    const history = [
      { role: "system" as const, content: "Answer briefly." },
      { role: "user" as const, content: "My name is Ada." },
      { role: "assistant" as const, content: "Noted." },
    ];
    const answered = await collectEvents(agent.runTurn({ sessionId: "s", text: "What is my name?", history }));
    expect(answered.at(-1)).toMatchObject({ type: "turn-finish", text: "Ada." });
    const failed = await collectEvents(agent.runTurn({ sessionId: "s", text: "Again?", history }));
    expect(failed.at(-1)).toMatchObject({ type: "error", code: "PROVIDER_UNAVAILABLE" });
    expect(await store.history("s")).toEqual([]);
    model.assertDone();
  });
});
