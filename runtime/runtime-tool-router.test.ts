import { describe, expect, it } from "vitest";
import { builtInTools, createToolRouter } from "./index.ts";

const tools = builtInTools({}).definitions();

describe("the runtime's tool router", () => {
  it("is the embedding predictor when the embedder's files are present: chat gets no tools", async () => {
    const route = createToolRouter({});
    expect(await route("¡Hola! ¿Qué tal estás?", tools)).toEqual({ tools: [], toolChoice: "none" });
    const weather = await route("Will it rain in Oslo tomorrow?", tools);
    expect(weather.tools[0]?.name).toBe("weather");
    expect(weather.toolChoice).toBe("required");
  });

  it("is the lexical router when asked, which never requires a call", async () => {
    const route = createToolRouter({ RTA_TOOL_ROUTER: "lexical" });
    expect(await route("Will it rain in Oslo tomorrow?", tools)).toMatchObject({ toolChoice: "auto" });
    expect(() => createToolRouter({ RTA_TOOL_ROUTER: "magic" })).toThrow(/RTA_TOOL_ROUTER/);
  });
});
