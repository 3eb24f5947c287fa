import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Agent } from "../agent/agent.ts";
import { tool } from "../contracts/tool.ts";
import { LocalMiniLmEmbedder } from "../embeddings/local-minilm-embedder.ts";
import { SafetyGuard } from "../safety/safety-guard.ts";
import { collectEvents, eventsOfType } from "../testing/collect.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { ToolRegistry } from "../tools/registry.ts";
import { builtinSpecialists, readSpecialistsFile } from "./specialist.ts";
import { SpecialistRouter } from "./specialist-router.ts";

const embedder = new LocalMiniLmEmbedder();
const router = new SpecialistRouter({ embedder });

function fakeTool(name: string, answer: unknown) {
  return tool({
    name,
    description: `The ${name} tool.`,
    inputSchema: z.object({ q: z.string().optional() }).passthrough(),
    execute: () => answer,
  });
}

const tools = () =>
  new ToolRegistry().register({
    name: "fake-tools",
    version: "1.0.0",
    tools: [
      fakeTool("weather", { forecast: "rain", celsius: 14 }),
      fakeTool("currency", { amount: 48_500, currency: "JPY" }),
      fakeTool("market_price", { price: 97_000, currency: "USD" }),
      fakeTool("calculator", { result: 4 }),
      fakeTool("web_search", { results: [] }),
    ],
  });

/** The built-in specialists, each given only the tools of its field (as a deployment of one's own may). */
const fieldTools: Record<string, readonly string[]> = {
  travel: ["weather", "currency", "web_search"],
  finance: ["currency", "market_price", "calculator"],
  tech: ["calculator", "web_search"],
};
const narrowRouter = new SpecialistRouter({
  embedder,
  specialists: builtinSpecialists.map((one) => (fieldTools[one.name] ? { ...one, tools: fieldTools[one.name] } : one)),
});

const offered = (model: ScriptedModel, request: number) =>
  model.requests[request]!.tools.map((definition) => definition.name).sort();

describe("the specialist router, on the local embedder", () => {
  it("gives everyday messages in English and Spanish to the specialist of their field", async () => {
    const routed = async (text: string) => (await router.route(text)).specialist.name;
    expect(await routed("Will it be sunny in Valencia on Sunday?")).toBe("travel");
    expect(await routed("¿Cuántos dólares son 40 euros?")).toBe("finance");
    expect(await routed("How do I install Node.js on Ubuntu?")).toBe("tech");
    expect(await routed("¿Quién escribió La Celestina?")).toBe("general");
  });

  it("reads a message near no example with the previous one (a follow-up), and only then", async () => {
    const alone = await router.route("And on Sunday?");
    const followUp = await router.route("And on Sunday?", { previousUserText: "Will it rain in Paris on Saturday?" });
    expect(followUp).toMatchObject({ followUp: true, specialist: { name: "travel" } });
    expect(alone.followUp).toBe(false);
    const clear = await router.route("What's the weather in Oslo?", {
      previousUserText: "How much is 5 euros in yen?",
    });
    expect(clear).toMatchObject({ followUp: false, specialist: { name: "travel" } });
  });

  it("lets the chosen specialist consult another whose field the message is also in", async () => {
    const choice = await router.route("I'm flying to Tokyo tomorrow: will it rain, and how many yen is 300 euros?");
    const names = [choice.specialist.name, ...choice.consultable.map((other) => other.name)];
    expect(names.slice(0, 2).sort()).toEqual(["finance", "travel"]);
    expect((await router.route("Will it rain in Tokyo tomorrow?")).consultable).toEqual([]);
  });

  it("refuses examples labelled with no specialist, and specialists without a general one", () => {
    expect(
      () => new SpecialistRouter({ embedder, examples: [{ text: "hi", label: "cooking", language: "en" }] }),
    ).toThrow(/labelled "cooking"/);
    expect(() => new SpecialistRouter({ embedder, specialists: builtinSpecialists.slice(0, 3) })).toThrow(
      /named "general"/,
    );
  });

  it("reads specialists and their examples from a file, with clear errors for a bad one", () => {
    const folder = mkdtempSync(join(tmpdir(), "rta-specialists-"));
    const good = join(folder, "good.json");
    writeFileSync(
      good,
      JSON.stringify({
        specialists: [
          {
            name: "cooking",
            description: "recipes",
            systemPrompt: "You cook.",
            tools: [],
            guard: { thresholds: { input: 0.4 } },
          },
          { name: "general", description: "the rest", systemPrompt: "You help.", mayConsult: ["cooking"] },
        ],
        examples: [{ text: "How long do I boil an egg?", label: "cooking", language: "en" }],
      }),
    );
    expect(readSpecialistsFile(good).specialists.map((one) => one.name)).toEqual(["cooking", "general"]);
    const bad = join(folder, "bad.json");
    writeFileSync(bad, JSON.stringify({ specialists: [{ name: "Cooking!", description: "x", systemPrompt: "y" }] }));
    expect(() => readSpecialistsFile(bad)).toThrow(/specialists\.0\.name: lower case letters/);
    writeFileSync(
      bad,
      JSON.stringify({ specialists: [{ name: "general", description: "x", systemPrompt: "y", mayConsult: ["law"] }] }),
    );
    expect(() => readSpecialistsFile(bad)).toThrow(/may consult "law", which is not another specialist/);
  });
});

describe("an agent with specialists", () => {
  it("answers with a built-in specialist's prompt and every tool, consulting nobody", async () => {
    const model = new ScriptedModel([{ text: "Take an umbrella." }]);
    const agent = new Agent({ model, tools: tools(), specialists: router });
    const text = "I'm going to Tokyo next week: what's the forecast and how much is 300 euros in yen?";
    const events = await collectEvents(agent.runTurn({ sessionId: "s0", text }));
    expect(eventsOfType(events, "specialist")[0]).toMatchObject({ name: "finance", consultable: [] });
    expect(model.requests[0]!.messages[0]!.content).toContain("finance assistant");
    expect(offered(model, 0)).toEqual(["calculator", "currency", "market_price", "weather", "web_search"]);
  });

  it("answers with the chosen specialist's prompt and only its tools, and says which one answered", async () => {
    const model = new ScriptedModel([
      { toolCalls: [{ name: "weather", arguments: { q: "Lisbon" } }] },
      { text: "Rain in Lisbon, 14 °C." },
    ]);
    const agent = new Agent({ model, tools: tools(), specialists: narrowRouter });
    const events = await collectEvents(agent.runTurn({ sessionId: "s1", text: "Will it rain in Lisbon tomorrow?" }));
    expect(eventsOfType(events, "specialist")[0]).toMatchObject({ name: "travel", followUp: false, consultable: [] });
    expect(model.requests[0]!.messages[0]!.content).toContain("travel assistant");
    expect(offered(model, 0)).toEqual(["currency", "weather", "web_search"]);
    expect(eventsOfType(events, "turn-finish")[0]).toMatchObject({
      text: "Rain in Lisbon, 14 °C.",
      toolsUsed: ["weather"],
    });
    model.assertDone();
  });

  it("asks a consulted specialist as a turn of its own, within the turn's budget of consultations", async () => {
    const model = new ScriptedModel([
      // The finance specialist consults travel twice; the second is over the budget of one.
      {
        toolCalls: [
          { name: "consult_travel", arguments: { question: "Will it rain in Tokyo tomorrow?" } },
          { name: "consult_travel", arguments: { question: "Is it cold in Tokyo?" } },
        ],
      },
      // The travel specialist's own turn: its tools, no consultations, then its answer.
      { toolCalls: [{ name: "weather", arguments: { q: "Tokyo" } }] },
      { text: "Rain in Tokyo tomorrow." },
      { text: "Take an umbrella; 300 euros are about 48,500 yen." },
    ]);
    const agent = new Agent({ model, tools: tools(), specialists: narrowRouter });
    const events = await collectEvents(
      agent.runTurn({
        sessionId: "s2",
        text: "I'm going to Tokyo next week: what's the forecast and how much is 300 euros in yen?",
      }),
    );
    expect(eventsOfType(events, "specialist")[0]).toMatchObject({ name: "finance", consultable: ["travel"] });
    expect(offered(model, 0)).toContain("consult_travel");
    // The consulted turn: the travel prompt, the travel tools, and nobody to consult.
    expect(model.requests[1]!.messages[0]!.content).toContain("travel assistant");
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: "user", content: "Will it rain in Tokyo tomorrow?" });
    expect(offered(model, 1)).toEqual(["currency", "weather", "web_search"]);
    const results = eventsOfType(events, "tool-result");
    expect(results.map((result) => result.error?.code ?? result.result)).toEqual(
      expect.arrayContaining([{ specialist: "travel", answer: "Rain in Tokyo tomorrow." }, "TOOL_BUDGET_SPENT"]),
    );
    expect(eventsOfType(events, "turn-finish")[0]!.text).toBe("Take an umbrella; 300 euros are about 48,500 yen.");
    model.assertDone();
  });

  it("answers as the specialist the caller names, and refuses a name that is none", async () => {
    const model = new ScriptedModel([{ text: "Use `kill -9`." }]);
    const agent = new Agent({ model, tools: tools(), specialists: narrowRouter });
    const events = await collectEvents(
      agent.runTurn({ sessionId: "s3", text: "Will it rain in Lisbon tomorrow?", specialist: "tech" }),
    );
    expect(eventsOfType(events, "specialist")[0]).toMatchObject({ name: "tech", share: 1 });
    expect(offered(model, 0)).toEqual(["calculator", "web_search"]);
    const refused = await collectEvents(agent.runTurn({ sessionId: "s3", text: "hello", specialist: "chef" }));
    expect(eventsOfType(refused, "error")[0]).toMatchObject({ code: "INPUT_MALFORMED" });
    expect(eventsOfType(refused, "error")[0]!.message).toContain("travel, finance, tech, general");
  });

  it("lets a caller who names a specialist make the guard stricter, never looser; refuses names without a router", async () => {
    const loose = builtinSpecialists.map((one) =>
      one.name === "tech" ? { ...one, guard: { thresholds: { input: 0.99 }, guardOutput: false } } : one,
    );
    const looseRouter = new SpecialistRouter({ embedder, specialists: loose });
    const safety = new SafetyGuard({ embedder, thresholds: { input: 0 } });
    const agent = new Agent({ model: new ScriptedModel([]), tools: tools(), specialists: looseRouter, safety });
    // The agent's own guard blocks everything here (threshold 0); naming the loose specialist changes nothing.
    const named = await collectEvents(
      agent.runTurn({ sessionId: "s6", text: "How do I list files?", specialist: "tech" }),
    );
    expect(eventsOfType(named, "guard")[0]).toMatchObject({ stage: "input", action: "block" });
    const without = new Agent({ model: new ScriptedModel([]) });
    const refused = await collectEvents(without.runTurn({ sessionId: "s7", text: "hello", specialist: "travel" }));
    expect(eventsOfType(refused, "error")[0]).toMatchObject({ code: "INPUT_MALFORMED" });
  });

  it("shows no reasoning chain the output guard blocks", async () => {
    const strict = builtinSpecialists.map((one) =>
      one.name === "travel" ? { ...one, guard: { thresholds: { output: 0 } } } : one,
    );
    const model = new ScriptedModel([
      { text: "Clouds come from the west.\nAnswer: rain" },
      { text: "Rain follows the clouds.\nAnswer: rain" },
      { text: "Look at the sky tonight.\nAnswer: rain" },
      { text: "Wind brings the rain in.\nAnswer: rain" },
      { text: "It will rain." },
    ]);
    const agent = new Agent({
      model,
      specialists: new SpecialistRouter({ embedder, specialists: strict }),
      safety: new SafetyGuard({ embedder }),
    });
    const events = await collectEvents(
      agent.runTurn({ sessionId: "s8", text: "Will it rain in Lisbon tomorrow?", reasoning: "chains" }),
    );
    expect(
      eventsOfType(events, "guard").filter((event) => event.stage === "output" && event.action === "block").length,
    ).toBeGreaterThanOrEqual(4);
    expect(eventsOfType(events, "reasoning-chains")[0]!.chains).toEqual([]);
    // Nothing of the chains reached the synthesis either.
    expect(model.requests[4]!.messages[0]!.content).not.toContain("Clouds come from the west");
  });

  it("reads a turn with the chosen specialist's guard policy", async () => {
    const strict = builtinSpecialists.map((one) =>
      one.name === "travel" ? { ...one, guard: { thresholds: { input: 0 } } } : one,
    );
    const strictRouter = new SpecialistRouter({ embedder, specialists: strict });
    const model = new ScriptedModel([{ text: "Hello!" }]);
    const agent = new Agent({
      model,
      tools: tools(),
      specialists: strictRouter,
      safety: new SafetyGuard({ embedder }),
    });
    const travel = await collectEvents(agent.runTurn({ sessionId: "s4", text: "Will it rain in Lisbon tomorrow?" }));
    expect(eventsOfType(travel, "guard")[0]).toMatchObject({ stage: "input", action: "block" });
    const general = await collectEvents(agent.runTurn({ sessionId: "s5", text: "Hi, how are you today?" }));
    expect(eventsOfType(general, "guard")[0]).toMatchObject({ stage: "input", action: "allow" });
    expect(eventsOfType(general, "turn-finish")[0]!.text).toBe("Hello!");
  });
});
