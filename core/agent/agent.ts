import { randomUUID } from "node:crypto";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { guardInput } from "../safety/input-guard.ts";
import { AgentError, toAgentError } from "../contracts/errors.ts";
import type { AgentEvent } from "../contracts/events.ts";
import { addUsage, type TokenUsage } from "../contracts/messages.ts";
import type { ModelProvider } from "../contracts/model.ts";
import type { SessionContext, SessionStore, ToolCallRecord } from "../contracts/store.ts";
import type { Logger } from "../contracts/tool.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { costOf, defaultPrices, type PriceTable } from "../telemetry/pricing.ts";
import { ToolRegistry } from "../tools/registry.ts";
import type { ToolRouter } from "../tools/tool-router.ts";
import { buildMessages, defaultSystemPrompt } from "./build-messages.ts";
import { runModelRound, type ModelRoundResult } from "./model-round.ts";
import { SessionQueue } from "./session-queue.ts";
import { StepTimer } from "./step-timer.ts";
import { runToolRound, type ToolRoundResult } from "./tool-round.ts";

export interface AgentOptions {
  model: ModelProvider;
  tools?: ToolRegistry;
  store?: SessionStore;
  systemPrompt?: string;
  /** Rounds in which the model may call tools before it must answer in text (default 3). */
  maxToolRounds?: number;
  maxInputChars?: number;
  maxOutputTokens?: number;
  temperature?: number;
  seed?: number;
  logger?: Logger;
  /** Prices per model for the cost in `turn-finish` (default: the published list prices). */
  prices?: PriceTable;
  /** Chooses which tools the model is offered for each message (default: all of them). */
  toolRouter?: ToolRouter;
}

export interface TurnInput {
  sessionId: string;
  text: string;
  signal?: AbortSignal;
  turnId?: string;
  /**
   * Stop after the model's first decision: tool calls are reported as `tool-call` events but not
   * run, and the turn finishes. For tool-calling evals, and for callers that approve calls first.
   */
  planOnly?: boolean;
  /**
   * Earlier messages supplied by the caller (stateless APIs such as /v1/chat/completions). When given,
   * the session store is neither read nor written for this turn.
   */
  history?: readonly { role: "system" | "user" | "assistant"; content: string }[];
}

/**
 * The turn loop, step by step: load context → guard input → let the model plan tools → run them
 * (concurrently) → let the model synthesize the answer, streamed → store the turn. Every turn yields
 * `turn-start` first and ends with `turn-finish` or `error`; it never throws.
 */
export class Agent {
  readonly model: ModelProvider;
  readonly tools: ToolRegistry;
  readonly store: SessionStore;
  readonly #options: AgentOptions;
  readonly #logger: Logger;
  readonly #sessions = new SessionQueue();

  constructor(options: AgentOptions) {
    this.model = options.model;
    this.tools = options.tools ?? new ToolRegistry();
    this.store = options.store ?? new InMemorySessionStore();
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  async *runTurn(input: TurnInput): AsyncGenerator<AgentEvent> {
    const turnId = input.turnId ?? randomUUID();
    const signal = input.signal ?? new AbortController().signal;
    const timer = new StepTimer();
    yield { type: "turn-start", turnId, sessionId: input.sessionId };

    const release = await this.#sessions.acquire(input.sessionId);
    let text = "";
    let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    let modelName = this.model.id;
    let providerName = this.model.id;
    const toolRecords: ToolCallRecord[] = [];
    try {
      const userText = await timer.time("inputGuard", () =>
        guardInput(input.text, { maxInputChars: this.#options.maxInputChars }),
      );
      const context = input.history
        ? contextFromHistory(input.sessionId, input.history)
        : await timer.time("loadContext", () => this.store.load(input.sessionId));
      const clientInstructions = input.history
        ?.filter((message) => message.role === "system")
        .map((message) => message.content)
        .join("\n");
      const systemPrompt = this.#options.systemPrompt ?? defaultSystemPrompt;
      const messages = buildMessages(
        clientInstructions ? `${systemPrompt}\n\n${clientInstructions}` : systemPrompt,
        context,
        userText,
      );
      const maxToolRounds = this.#options.maxToolRounds ?? 3;
      const allTools = this.tools.definitions();
      const route = this.#options.toolRouter
        ? await this.#options.toolRouter(userText, allTools, {
            previousUserText: context.recentTurns.at(-1)?.userText,
            signal,
          })
        : { tools: allTools, toolChoice: "auto" as const };
      const definitions = route.toolChoice === "none" ? [] : route.tools;

      for (let round = 0; ; round++) {
        throwIfAborted(signal);
        const mayCallTools = definitions.length > 0 && round < maxToolRounds;
        const stream = runModelRound(this.model, {
          messages,
          tools: definitions,
          // A required call is required once: after the tool results the model may answer.
          toolChoice: !mayCallTools ? "none" : round === 0 ? route.toolChoice : "auto",
          signal,
          ...(this.#options.maxOutputTokens !== undefined ? { maxOutputTokens: this.#options.maxOutputTokens } : {}),
          ...(this.#options.temperature !== undefined ? { temperature: this.#options.temperature } : {}),
          ...(this.#options.seed !== undefined ? { seed: this.#options.seed } : {}),
        });
        const modelStarted = performance.now();
        let result: ModelRoundResult;
        try {
          for (;;) {
            const next = await stream.next();
            if (next.done) {
              result = next.value;
              break;
            }
            if (next.value.kind === "notice") {
              const { event, message, data } = next.value;
              yield { type: "system-event", turnId, event, message, ...(data ? { data } : {}) };
              continue;
            }
            timer.markFirstToken();
            text += next.value.text;
            yield { type: "text-delta", turnId, text: next.value.text };
          }
        } finally {
          timer.add("model", performance.now() - modelStarted);
        }
        usage = addUsage(usage, result.usage);
        modelName = result.model;
        providerName = result.provider;
        throwIfAborted(signal);
        if (result.toolCalls.length === 0) break;
        if (!mayCallTools) {
          throw new AgentError(
            "TURN_MAX_ROUNDS",
            `The model still asked for tools after ${maxToolRounds} tool rounds.`,
            "provider",
          );
        }

        messages.push({ role: "assistant", content: result.text, toolCalls: result.toolCalls });
        for (const call of result.toolCalls) {
          yield { type: "tool-call", turnId, callId: call.callId, name: call.name, arguments: call.arguments };
        }
        if (input.planOnly) {
          for (const call of result.toolCalls)
            toolRecords.push({ callId: call.callId, name: call.name, arguments: call.arguments });
          break;
        }
        const toolsStarted = performance.now();
        const toolEvents = runToolRound(turnId, result.toolCalls, {
          registry: this.tools,
          sessionId: input.sessionId,
          signal,
          logger: this.#logger,
        });
        let toolRound: ToolRoundResult;
        for (;;) {
          const next = await toolEvents.next();
          if (next.done) {
            toolRound = next.value;
            break;
          }
          yield next.value;
        }
        timer.add("tools", performance.now() - toolsStarted);
        toolRecords.push(...toolRound.records);
        messages.push(...toolRound.messages);
        text = "";
        if (round + 1 === maxToolRounds) {
          yield {
            type: "system-event",
            turnId,
            event: "max_tool_rounds",
            message: `Tool rounds exhausted (${maxToolRounds}); asking for a final answer.`,
          };
        }
      }

      if (!input.history)
        await timer.time("store", () =>
          this.store.appendTurn(input.sessionId, {
            turnId,
            userText,
            assistantText: text,
            toolCalls: toolRecords,
            usage,
            model: modelName,
            createdAt: new Date().toISOString(),
          }),
        );
      yield this.#finish(turnId, "completed", text, toolRecords, usage, providerName, modelName, timer);
    } catch (error) {
      const agentError = toAgentError(signal.aborted ? (signal.reason ?? error) : error);
      if (signal.aborted || agentError.code === "TURN_ABORTED") {
        yield this.#finish(turnId, "aborted", text, toolRecords, usage, providerName, modelName, timer);
      } else {
        this.#logger.warn("turn failed", {
          turnId,
          sessionId: input.sessionId,
          code: agentError.code,
          error: agentError.message,
        });
        await this.#keepFailedTurn(input, turnId, toolRecords, usage, modelName, agentError);
        yield {
          type: "error",
          turnId,
          code: agentError.code,
          message: agentError.message,
          retryable: agentError.retryable,
        };
      }
    } finally {
      release();
    }
  }

  /** A failed turn still records what the user said (not for input the guard refused, nor without a store). */
  async #keepFailedTurn(
    input: TurnInput,
    turnId: string,
    toolCalls: ToolCallRecord[],
    usage: TokenUsage,
    model: string,
    error: AgentError,
  ): Promise<void> {
    if (input.history || error.fault === "user" || error.fault === "store") return;
    try {
      await this.store.appendTurn(input.sessionId, {
        turnId,
        userText: input.text.trim(),
        assistantText: "",
        toolCalls,
        usage,
        model,
        createdAt: new Date().toISOString(),
        error: { code: error.code, message: error.message },
      });
    } catch (storeError) {
      this.#logger.error("could not keep the failed turn", {
        turnId,
        error: storeError instanceof Error ? storeError.message : String(storeError),
      });
    }
  }

  #finish(
    turnId: string,
    outcome: "completed" | "aborted",
    text: string,
    tools: ToolCallRecord[],
    usage: TokenUsage,
    provider: string,
    model: string,
    timer: StepTimer,
  ): AgentEvent {
    return {
      type: "turn-finish",
      turnId,
      outcome,
      text,
      toolsUsed: [...new Set(tools.map((record) => record.name))],
      usage,
      provider,
      model,
      timings: timer.finish(),
      ...costField(costOf(this.#options.prices ?? defaultPrices, provider, model, usage)),
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.model.close?.(), this.store.close?.(), this.tools.close()]);
  }
}

/** Caller-supplied history as session context (its system messages join the system prompt instead). */
function contextFromHistory(sessionId: string, history: NonNullable<TurnInput["history"]>): SessionContext {
  const recentTurns: SessionContext["recentTurns"] = [];
  let pendingUser: string | undefined;
  for (const message of history) {
    if (message.role === "user") {
      if (pendingUser !== undefined) recentTurns.push(historyTurn(pendingUser, ""));
      pendingUser = message.content;
    } else if (message.role === "assistant") {
      recentTurns.push(historyTurn(pendingUser ?? "", message.content));
      pendingUser = undefined;
    }
  }
  if (pendingUser !== undefined) recentTurns.push(historyTurn(pendingUser, ""));
  return { sessionId, summary: undefined, recentTurns };
}

function historyTurn(userText: string, assistantText: string): SessionContext["recentTurns"][number] {
  return {
    turnId: "",
    userText,
    assistantText,
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    model: "",
    createdAt: "",
  };
}

function costField(cost: number | undefined): { costUsd?: number } {
  return cost === undefined ? {} : { costUsd: cost };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AgentError("TURN_ABORTED", "The turn was cancelled.", "user");
}
