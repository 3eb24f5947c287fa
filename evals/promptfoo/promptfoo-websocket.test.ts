import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { Agent, silentLogger } from "realtime-agent";
import { echoModel } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "../../server/app.ts";

let server: AgentServer;
let port: number;
beforeAll(async () => {
  process.env.PROMPTFOO_DISABLE_TELEMETRY = "1";
  process.env.PROMPTFOO_DISABLE_UPDATE = "1";
  server = createAgentServer({ agent: new Agent({ model: echoModel({ delayMs: 50 }) }), logger: silentLogger });
  port = (await server.listen(0)).port;
});
afterAll(() => server.close());

// promptfoo's own WebSocket provider, run with concurrency: it once got the first answer for every
// question (all its connections shared one session). With the config of websocket.yaml each call opens
// a session of its own on /ws.
describe("promptfoo's WebSocket provider", () => {
  it("gets each question's own answer when three run at once", async () => {
    const { default: promptfoo } = await import("promptfoo");
    const config = parse(readFileSync(new URL("./websocket.yaml", import.meta.url), "utf8"));
    const provider = { ...config.providers[0], id: `ws://127.0.0.1:${port}/ws` };
    const questions = ["apples", "bananas", "cherries"];
    const summary = await promptfoo.evaluate(
      {
        prompts: config.prompts,
        providers: [provider],
        tests: questions.map((question) => ({
          vars: { question },
          assert: [{ type: "equals", value: `you said: ${question}` }],
        })),
        writeLatestResults: false,
      } as never,
      { maxConcurrency: 3, showProgressBar: false, cache: false } as never,
    );
    const { results } = await (
      summary as unknown as {
        toEvaluateSummary(): Promise<{
          results: Array<{ vars: { question: string }; response?: { output?: string }; success: boolean }>;
        }>;
      }
    ).toEvaluateSummary();
    expect(results.map((result) => [result.vars.question, result.response?.output, result.success]).sort()).toEqual(
      questions.map((question) => [question, `you said: ${question}`, true]),
    );
  });
});
