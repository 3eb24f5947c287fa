import { Agent, type AgentEvent, type AgentOptions, type TokenUsage } from "realtime-agent";
import { protocolLeaks } from "../scorers/protocol-leak.ts";
import { type CaseResult, emptyObservation, type TurnDriver, type TurnObservation, type TurnRequest } from "./types.ts";

/**
 * Drives the core in this process: the same Agent the server runs, with the same model, tools, store
 * and tool router. Every case runs on this one Agent; a case's own tools, prompt and limits travel
 * with its turn.
 */
export class InProcessDriver implements TurnDriver {
  readonly name = "in-process";
  readonly supportsCustomTools = true;
  readonly #agent: Agent;

  constructor(agentOptions: AgentOptions) {
    this.#agent = new Agent(agentOptions);
  }

  runTurn(request: TurnRequest): Promise<TurnObservation> {
    return observeTurn(this.#agent.runTurn(request));
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

/** Folds a turn's events into an observation. */
export async function observeTurn(events: AsyncIterable<AgentEvent>): Promise<TurnObservation> {
  const started = performance.now();
  const observation: TurnObservation = emptyObservation();
  for await (const event of events) {
    if (event.type === "text-delta") {
      observation.timeToFirstTokenMs ??= performance.now() - started;
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
      observation.timeToFirstTokenMs = event.timings.timeToFirstTokenMs ?? observation.timeToFirstTokenMs;
      if (event.costUsd !== undefined) observation.costUsd = event.costUsd;
      if (event.confidence !== undefined) observation.confidence = event.confidence;
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
    time_to_first_token_ms: observation.timeToFirstTokenMs ?? null,
    total_ms: observation.totalMs,
    usage: usageFieldsOf(observation.usage),
    tool_calls: observation.toolCalls,
    protocol_leaks: protocolLeaks(observation.text),
    provider: observation.provider,
    model: observation.model,
    ...(observation.costUsd !== undefined ? { cost_usd: observation.costUsd } : {}),
    ...(observation.error ? { error: observation.error } : {}),
  };
}

export function usageFieldsOf(usage: TokenUsage): CaseResult["usage"] {
  return { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
}
