import { randomUUID } from "node:crypto";
import { Agent, type AgentOptions, type AgentEvent, ToolRegistry } from "realtime-agent";
import type { TurnDriver, TurnObservation, TurnRequest } from "./types.ts";

/**
 * Drives the core in this process: the same Agent the server runs, with the same model, tools, store
 * and tool router. A turn with its own tools gets an Agent that shares all of that but the tools.
 */
export class InProcessDriver implements TurnDriver {
  readonly name = "in-process";
  readonly supportsCustomTools = true;
  readonly #agent: Agent;
  readonly #agentOptions: AgentOptions;

  constructor(agentOptions: AgentOptions) {
    this.#agentOptions = agentOptions;
    this.#agent = new Agent(agentOptions);
  }

  async runTurn(request: TurnRequest): Promise<TurnObservation> {
    const agent =
      request.tools || request.systemPrompt || request.maxOutputTokens
        ? new Agent({
            ...this.#agentOptions,
            store: this.#agent.store,
            tools: request.tools
              ? new ToolRegistry().register({
                  name: `eval-${randomUUID().slice(0, 8)}`,
                  version: "1.0.0",
                  tools: request.tools,
                })
              : this.#agent.tools,
            ...(request.systemPrompt ? { systemPrompt: request.systemPrompt } : {}),
            ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
          })
        : this.#agent;
    return observeTurn(
      agent.runTurn({
        sessionId: request.sessionId,
        text: request.text,
        planOnly: request.stopAfterToolCalls ?? false,
        ...(request.history ? { history: request.history } : {}),
      }),
    );
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** Folds a turn's events into an observation. */
export async function observeTurn(events: AsyncIterable<AgentEvent>): Promise<TurnObservation> {
  const started = performance.now();
  const observation: TurnObservation = {
    text: "",
    toolCalls: [],
    toolResults: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    ttftMs: undefined,
    totalMs: 0,
    provider: "",
    model: "",
  };
  for await (const event of events) {
    if (event.type === "text-delta") {
      observation.ttftMs ??= performance.now() - started;
      observation.text += event.text;
    } else if (event.type === "tool-call") {
      observation.toolCalls.push({ name: event.name, arguments: event.arguments });
    } else if (event.type === "tool-result") {
      observation.toolResults.push({
        name: event.name,
        ...(event.result !== undefined ? { result: event.result } : {}),
        ...(event.error ? { error: event.error } : {}),
      });
    } else if (event.type === "turn-finish") {
      observation.text = event.text || observation.text;
      observation.usage = event.usage;
      observation.provider = event.provider;
      observation.model = event.model;
      observation.ttftMs = event.timings.timeToFirstTokenMs ?? observation.ttftMs;
      if (event.costUsd !== undefined) observation.costUsd = event.costUsd;
    } else if (event.type === "error") {
      observation.error = { code: event.code, message: event.message };
    }
  }
  observation.totalMs = performance.now() - started;
  return observation;
}

/** The fields of a case outcome that come straight from one observed turn. */
export function outcomeFieldsOf(observation: TurnObservation) {
  return {
    ttftMs: observation.ttftMs,
    totalMs: observation.totalMs,
    usage: observation.usage,
    toolCalls: observation.toolCalls,
    provider: observation.provider,
    model: observation.model,
    ...(observation.costUsd !== undefined ? { costUsd: observation.costUsd } : {}),
    ...(observation.error ? { error: observation.error } : {}),
  };
}
