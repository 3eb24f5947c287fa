import { describe, expect, it } from "vitest";
import type { ToolDefinition } from "../contracts/model.ts";
import { createLexicalToolRouter, routingTokens, type ToolRoute } from "./tool-router.ts";

const offered = (route: ToolRoute) => route.tools;

const definition = (
  name: string,
  description: string,
  examples: string[] = [],
  properties: Record<string, { description?: string }> = {},
): ToolDefinition => ({
  name,
  description,
  inputSchema: { type: "object", properties },
  examples: examples.map((request) => ({ request, arguments: {} })),
});
const tools = [
  definition(
    "calculator",
    "Calculate the result of an arithmetic expression, percentages.",
    ["What is 3% of 1,200?", "How much is (45 + 15) / 4?"],
    { expression: { description: "The arithmetic expression" } },
  ),
  definition("currency", "Convert money between currencies: dollars, euros, yen.", ["Convert 50 EUR to USD"], {
    amount: {},
    from: {},
    to: {},
  }),
  definition(
    "weather",
    "Current weather and forecast: temperature, rain, wind.",
    ["What's the weather like in Tokyo?"],
    { city: { description: "City name" } },
  ),
  definition("web_search", "Search the web for pages and news.", ["Search the web for the latest Node.js release"], {
    query: {},
  }),
];

describe("lexical tool router", () => {
  const route = createLexicalToolRouter({ topK: 2 });
  const names = (message: string) => offered(route(message, tools)).map((tool) => tool.name);

  it("offers the tool a message is about", () => {
    expect(names("What is 12.5% of 3,480?")).toEqual(["calculator"]);
    expect(names("Will it rain in Oslo tomorrow?")).toEqual(["weather"]);
    expect(names("Convert 20 dollars to euros")[0]).toBe("currency");
    expect(names("search the web for vitest news")).toEqual(["web_search"]);
  });

  it("offers no tool for small talk, so the model answers directly", () => {
    expect(route("Hello! How are you?", tools)).toEqual({ tools: [], toolChoice: "none" });
  });

  it("lets the model decide whether to call an offered tool", () => {
    expect(offered(route("Will it rain in Oslo tomorrow?", tools))).toHaveLength(1);
    expect(route("Will it rain in Oslo tomorrow?", tools)).toMatchObject({ toolChoice: "auto" });
  });

  it("never offers more than topK tools, and keeps close runners-up", () => {
    const wide = createLexicalToolRouter({ topK: 1, minRelativeScore: 0 });
    expect(offered(wide("convert 3% of 50 euros to yen", tools))).toHaveLength(1);
    expect(
      offered(createLexicalToolRouter({ topK: 4, minRelativeScore: 0, minScore: 0 })("convert 3% of 50 euros", tools))
        .length,
    ).toBeGreaterThan(1);
  });

  it("folds numbers, percentages and operators into shared tokens", () => {
    expect(routingTokens("What is 12.5% of 3,480 + 2?")).toEqual(["<num>", "<percent>", "<num>", "<op>", "<num>"]);
  });
});
