// realtime-agent as a promptfoo provider: each prompt becomes one turn of the same core the server
// runs (local model, built-in tools). For BFCL tests, vars.functions gives the turn its tools and the
// output is the JSON list of calls the model made.
import { register } from "tsx/esm/api";

register();
const { InProcessDriver } = await import("../runner/in-process-driver.ts");
const { runtimeAgentOptions, runtimeConfigFromEnv } = await import("realtime-agent/runtime");
const { z } = await import("zod");

let driver;
let turnCounter = 0;

export default class RealtimeAgentProvider {
  constructor(options = {}) {
    this.providerId = options.id ?? "realtime-agent";
    this.config = options.config ?? {};
  }

  id() {
    return this.providerId;
  }

  async callApi(prompt, context) {
    driver ??= new InProcessDriver(runtimeAgentOptions(runtimeConfigFromEnv()));
    const functions = context?.vars?.functions;
    const tools = Array.isArray(functions)
      ? functions.map((fn) => ({
          name: fn.name,
          description: fn.description || fn.name,
          inputSchema: z.record(z.string(), z.unknown()),
          inputJsonSchema: fn.parameters,
          execute: () => {
            throw new Error("not executed in evals");
          },
        }))
      : undefined;
    const observation = await driver.runTurn({
      sessionId: `promptfoo-${process.pid}-${++turnCounter}`,
      text: prompt,
      ...(tools
        ? { tools, planOnly: true, maxOutputTokens: 16 }
        : { maxOutputTokens: this.config.maxOutputTokens ?? 96 }),
    });
    if (observation.error) return { error: `${observation.error.code}: ${observation.error.message}` };
    return {
      output: tools ? JSON.stringify(observation.toolCalls) : observation.text,
      tokenUsage: {
        prompt: observation.usage.inputTokens,
        completion: observation.usage.outputTokens,
        total: observation.usage.inputTokens + observation.usage.outputTokens,
      },
      latencyMs: Math.round(observation.totalMs),
      metadata: {
        provider: observation.provider,
        model: observation.model,
        timeToFirstTokenMs: observation.timeToFirstTokenMs,
        toolCalls: observation.toolCalls,
      },
    };
  }
}
