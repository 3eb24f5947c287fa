import { randomUUID } from "node:crypto";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { guardInput } from "../safety/input-guard.ts";
import {
  AgentError,
  cancelledByUser,
  messageOf,
  ToolError,
  toAgentError,
  UserInputError,
} from "../contracts/errors.ts";
import type { AgentEvent, TurnOutcome } from "../contracts/events.ts";
import type { ChatMessage, ImageInput, TokenUsage } from "../contracts/messages.ts";
import type { ModelProvider, ModelRequest } from "../contracts/model.ts";
import type { SessionContext, SessionLock, SessionStore, ToolCallRecord, TurnRecord } from "../contracts/store.ts";
import type { Logger } from "../contracts/logger.ts";
import type { Tool, ToolContext } from "../contracts/tool.ts";
import { consultationTool } from "../specialists/consultation.ts";
import type { Specialist, SpecialistGuardPolicy } from "../specialists/specialist.ts";
import type { SpecialistChoice, SpecialistRouter } from "../specialists/specialist-router.ts";
import { SpecialistToolSets } from "../specialists/specialist-tools.ts";
import { silentLogger } from "../telemetry/logger.ts";
import { endSpan, startChildSpan, startTurnSpan, traceIdOf, tracedToolRound } from "../telemetry/tracing.ts";
import { costOf, defaultPrices, type PriceTable } from "../telemetry/pricing.ts";
import { ToolRegistry } from "../tools/registry.ts";
import type { ToolRoute, ToolRouter } from "../tools/tool-router.ts";
import type { LanguageCode } from "../language/detect-language.ts";
import {
  buildMessages,
  defaultSystemPrompt,
  languageReminder,
  replyLanguageOf,
  withoutToolInstruction,
} from "./build-messages.ts";
import {
  type ContextWindowOptions,
  defaultContextWindow,
  historyBudget,
  summaryDue,
  turnsWithinBudget,
  writeRollingSummary,
} from "./context-window.ts";
import { reconcileCalls } from "./reconcile-calls.ts";
import { defaultEarlyReleasePolicy, type ModelRoundResult, runModelRound } from "./model-round.ts";
import { isServiceFailure, type ServiceFailure, serviceFailureAnswer } from "./service-failure-answer.ts";
import { SessionQueue } from "./session-queue.ts";
import { keepingRedacted, sessionMemoryFor, type HistoryMessage, type SessionMemory } from "./session-memory.ts";
import { redactTurn } from "../safety/pii.ts";
import { runToolRound } from "./tool-round.ts";
import { checkImages } from "./image-input.ts";
import { majorityAnswer, runReasoningChains, synthesisMessages } from "./reasoning-chains.ts";
import { TurnProgress } from "./turn-progress.ts";
import type { SemanticCache } from "../cache/semantic-cache.ts";
import { cacheScopeOf, cacheTtlOf, looksLikeRefusal } from "./answer-cache.ts";
import type { SafetyGuard } from "../safety/safety-guard.ts";
import { refusalMessage } from "../safety/refusals.ts";
import { localOwner } from "../contracts/store.ts";
import { FeedbackRecorder } from "./feedback-recorder.ts";
import type { ImplicitFeedbackOptions } from "./implicit-feedback.ts";
import { ProfileKeeper } from "./profile-keeper.ts";
import { personalizedPrompt, preferenceAcknowledgment, usualLanguage } from "./profile-learning.ts";

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
  /**
   * Who answers when every call of a tool round failed on the service's side (unreachable, timed out,
   * not configured): "agent" (default) says so itself, naming the services, in the user's language;
   * "model" hands the failures to the model. Small models told a service is down still invent its answer.
   */
  serviceFailureAnswers?: "agent" | "model";
  /**
   * Earlier answers are recalled up to this many characters, cut at a sentence end (default: whole).
   * A small local model's 500-token list of tips buries the user's own facts ("a budget of 2,100
   * dollars") and costs every later turn seconds of prompt reading; the runtime sets 300 for it.
   */
  recallAnswerChars?: number;
  /**
   * A message for a session that is still answering another: "queue" (default) waits for that turn to
   * finish; "reject" fails at once with SESSION_BUSY; "interrupt" cancels the running turn (kept in the
   * history with what it had answered, marked interrupted) and answers the new message. Turns of one
   * session never interleave.
   */
  whileBusy?: "queue" | "reject" | "interrupt";
  /**
   * Orders a session's turns across processes too (server instances sharing a store): a turn waits
   * while another process runs one of the same session. `whileBusy` applies within this process.
   */
  sessionLock?: SessionLock;
  /**
   * The context a turn recalls: the last `keepTurns` turns (as many as fit half the model's context)
   * and a rolling summary of older ones, written by the model every `summarizeEvery` turns (default
   * 50 and 10); `false` writes no summaries. The store's `load` should return `keepTurns` turns.
   */
  contextWindow?: ContextWindowOptions | false;
  /**
   * Personal data (card numbers, IBANs, emails, phone numbers, SSNs, DNI/NIE) is replaced by its kind
   * (`[CARD]`…) in the turns the store keeps: the model answers from the message as written, later turns
   * recall the redacted one. Default true; `false` stores turns as they were.
   */
  redactPii?: boolean;
  /**
   * A semantic cache (core/cache): the first message of a session, asked again in other words, is
   * answered from it — within the same owner, tools and versions, model and language, for no longer than
   * the shortest cache TTL of the tools the answer used. Answers that failed or were refused are never
   * kept. Off unless given (evals and benchmarks must measure the model, not the cache).
   */
  cache?: SemanticCache;
  /**
   * The safety layer (core/safety): the user's message is checked before anything else reads it (a
   * blocked one is answered with a short refusal in the user's language), each tool result before the
   * model reads it (injected instructions are withheld), and, unless `guardOutput` is false, the answer
   * a sentence at a time before it is shown. Every decision is a `guard` event. Off unless given.
   */
  safety?: SafetyGuard;
  /** Whether answers are checked sentence by sentence while streaming (default true with `safety`). */
  guardOutput?: boolean;
  /**
   * How a checked answer is shown: `early` (the default) shows the start of a sentence before it ends,
   * once the output check passed it with the two words that follow (a start it leans against is held
   * until the sentence ends); `sentence` shows nothing of a sentence before the whole of it passed.
   * Blocking is decided on whole sentences either way.
   */
  outputRelease?: "early" | "sentence";
  /**
   * Feedback the agent notices itself, kept when the store keeps feedback: a message that asks the
   * previous one again (`rephrased`: the same words, or close on `embedder`), one that asks what the
   * previous answer meant (`clarification`), a turn the caller cancelled (`abandoned`). Default on,
   * without an embedder; `false` turns it off. Ratings come through `agent.feedback.record`.
   */
  implicitFeedback?: ImplicitFeedbackOptions | false;
  /**
   * Learn each user's (owner's) preferences from their turns — answer length, lists, language, tools,
   * topics — keep them in the store (when it keeps profiles) and apply them: the system prompt's
   * sentence on length, lists, and the language to answer a message that shows none. Off unless true
   * (evals must not carry one case's lessons into the next).
   */
  profiles?: boolean;
  /**
   * Specialist agents (core/specialists): an intent router on the local embeddings gives each message
   * to one (travel, finance, tech, general), whose prompt, tools and guard policy the turn takes (an
   * agent given its own `systemPrompt` keeps it).
   */
  specialists?: SpecialistRouter;
  /** Consultations between specialists a turn may make (default 1; 0: none). */
  maxConsultations?: number;
}

export interface TurnInput {
  sessionId: string;
  /** Who the session belongs to, stored with it (the server's authenticated principal). */
  owner?: string;
  /**
   * Who sent the message, as the safety layer's abuse tracking counts blocks: a key's owner, or an
   * address when the server has no keys (everyone is then the same owner). Default: the owner, else the
   * session.
   */
  client?: string;
  text: string;
  signal?: AbortSignal;
  turnId?: string;
  /**
   * Stop after the model's first decision: tool calls are reported as `tool-call` events but not
   * run, and the turn finishes. For tool-calling evals, and for callers that approve calls first.
   */
  planOnly?: boolean;
  /** The tools offered in this turn, instead of the agent's registry (an eval case brings its own; [] for none). */
  tools?: readonly Tool[];
  /** This turn's system prompt, instead of the agent's. */
  systemPrompt?: string;
  /** This turn's limit on output tokens per model round, instead of the agent's. */
  maxOutputTokens?: number;
  /**
   * Earlier messages supplied by the caller (stateless APIs such as /v1/chat/completions). When given,
   * the session store is neither read nor written for this turn.
   */
  history?: readonly HistoryMessage[];
  /** The specialist to answer, by name, instead of the router's choice (with `specialists` set). */
  specialist?: string;
  /** Images sent with the message (checked: image-input.ts), for models that read them (Claude, GPT). */
  images?: readonly ImageInput[];
  /** This turn's consultations between specialists, instead of the agent's `maxConsultations`. */
  maxConsultations?: number;
  /**
   * `chains`: for a hard question, analytical, logical, creative and causal chains of reasoning run
   * at once and the answer synthesizes them (reasoning-chains.ts; no tools, several times the tokens).
   * Default `single`: the model answers as usual.
   */
  reasoning?: "single" | "chains";
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
  /** Ratings and noticed signals about answers: kept in the store, told to listeners. */
  readonly feedback: FeedbackRecorder;
  /** Users' learned preferences (see AgentOptions.profiles). */
  readonly profiles: ProfileKeeper;
  readonly #options: AgentOptions;
  readonly #logger: Logger;
  readonly #sessions = new SessionQueue();
  /** Per session, the turns a newer message may cancel (running, or waiting their turn). */
  readonly #interruptible = new Map<string, Set<AbortController>>();
  /** Rolling summaries being written, per session (awaited by `close`). */
  readonly #summarizing = new Map<string, Promise<void>>();
  readonly #specialistTools = new SpecialistToolSets();

  constructor(options: AgentOptions) {
    this.model = options.model;
    this.tools = options.tools ?? new ToolRegistry();
    this.store = options.store ?? new InMemorySessionStore();
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.feedback = new FeedbackRecorder(this.store, options.implicitFeedback ?? {}, this.#logger);
    this.profiles = new ProfileKeeper(this.store, this.#logger);
  }

  async *runTurn(input: TurnInput): AsyncGenerator<AgentEvent> {
    const turnId = input.turnId ?? randomUUID();
    // The caller's signal, or the next message on the session when the policy is "interrupt".
    const interruption = new AbortController();
    const signal = input.signal ? AbortSignal.any([input.signal, interruption.signal]) : interruption.signal;
    const turn = new TurnProgress(turnId, this.model.id);
    const turnSpan = startTurnSpan({ "session.id": input.sessionId, "turn.id": turnId });
    let spanError: { code?: string; message: string } | undefined;
    const traceId = traceIdOf(turnSpan);
    // Every line this turn logs carries its session and turn (and trace, when traced).
    const log =
      this.#logger.child?.({ sessionId: input.sessionId, turnId, ...(traceId ? { traceId } : {}) }) ?? this.#logger;
    const stored = sessionMemoryFor(input, this.store);
    // The model reads the user's words as written; what is stored (and recalled later) has personal data out.
    const memory = this.#options.redactPii === false ? stored : keepingRedacted(stored, redactTurn);
    yield { type: "turn-start", turnId, sessionId: input.sessionId };

    const whileBusy = this.#options.whileBusy ?? "queue";
    if (whileBusy !== "queue" && this.#sessions.busy(input.sessionId)) {
      if (whileBusy === "reject") {
        const busy = new UserInputError("SESSION_BUSY", "The session is still answering an earlier message.");
        endSpan(turnSpan, { code: busy.code, message: busy.message });
        yield { type: "error", turnId, code: busy.code, message: busy.message, retryable: busy.retryable };
        return;
      }
      for (const running of this.#interruptible.get(input.sessionId) ?? []) running.abort(interrupted());
    }
    const interruptible = this.#interruptible.get(input.sessionId) ?? new Set<AbortController>();
    interruptible.add(interruption);
    this.#interruptible.set(input.sessionId, interruptible);

    const release = await this.#sessions.acquire(input.sessionId);
    let releaseShared: (() => void) | undefined;
    try {
      // Other processes on the same store (server instances) wait too: their turns do not interleave.
      releaseShared = await this.#options.sessionLock?.acquire(input.sessionId, signal);
      const userText = await turn.timer.time("inputGuard", () =>
        guardInput(input.text, { maxInputChars: this.#options.maxInputChars, allowEmpty: !!input.images?.length }),
      );
      if (input.images?.length && !this.model.capabilities.vision)
        throw new UserInputError(
          "INPUT_UNSUPPORTED",
          `The model in use (${this.model.id}) reads no images: configure Claude or GPT (ANTHROPIC_API_KEY, OPENAI_API_KEY) to send them.`,
        );
      const images = input.images?.length ? checkImages(input.images) : undefined;
      // What the session keeps of the message: its words, and that it carried images.
      const keptText = withImagesNoted(userText, images?.length ?? 0);
      const loaded = await turn.timer.time("loadContext", () => memory.load());
      const context = {
        ...loaded,
        recentTurns: turnsWithinBudget(
          loaded.recentTurns,
          historyBudget(this.model, input.maxOutputTokens ?? this.#options.maxOutputTokens),
        ),
      };
      if (!input.history && !input.planOnly)
        this.feedback.noticeReply(input.sessionId, input.owner ?? localOwner, loaded.recentTurns.at(-1), userText);
      const owner = input.owner ?? localOwner;
      const profileGeneration = this.profiles.generationOf(owner);
      const routed = await turn.timer.time("loadContext", () =>
        this.#routeSpecialist(input, userText, context.recentTurns.at(-1)?.userText, signal, turn),
      );
      if (routed) {
        const { specialist, share, followUp, consultable } = routed.choice;
        yield {
          type: "specialist",
          turnId,
          name: specialist.name,
          share,
          followUp,
          consultable: consultable.map((other) => other.name),
        };
      }
      // A specialist the caller named may only make the guard stricter than the agent's own.
      const policy = routed?.namedByCaller
        ? stricterOnly(routed.choice.specialist.guard, this.#options.safety)
        : routed?.choice.specialist.guard;
      const profile =
        this.#options.profiles && !input.history
          ? await turn.timer.time("loadContext", () => this.profiles.loadForTurn(owner))
          : undefined;
      const systemPrompt = personalizedPrompt(
        input.systemPrompt ??
          this.#options.systemPrompt ??
          routed?.choice.specialist.systemPrompt ??
          defaultSystemPrompt,
        profile,
      );
      const language = replyLanguageOf(userText, context) ?? usualLanguage(profile);
      const messages = buildMessages(systemPrompt, context, userText, {
        replyLanguage: language,
        instructions: memory.instructions,
        recallAnswerChars: this.#options.recallAnswerChars,
      });
      if (images) messages[messages.length - 1] = { role: "user", content: userText, images };
      const safety = this.#options.safety;
      if (safety) {
        const decision = await turn.timer.time("inputGuard", () =>
          safety.checkInput(userText, {
            key: input.client ?? input.owner ?? input.sessionId,
            signal,
            ...(policy?.thresholds?.input !== undefined ? { threshold: policy.thresholds.input } : {}),
          }),
        );
        yield { type: "guard", turnId, ...decision };
        if (decision.action === "block") {
          const refusal = refusalMessage("input", decision.category, language);
          turn.addText(refusal);
          yield { type: "text-delta", turnId, text: refusal, segment: turn.segment };
          await turn.timer.time("store", () => memory.keep(turn.record(keptText, { timings: turn.timer.finish() })));
          yield { ...this.#finish(turn, "completed"), blocked: blockedOf(decision) } as AgentEvent;
          return;
        }
      }
      const checkOutput =
        safety && (policy?.guardOutput ?? this.#options.guardOutput !== false)
          ? (sentence: string) =>
              safety.checkOutput(sentence, {
                signal,
                ...(policy?.thresholds?.output !== undefined ? { threshold: policy.thresholds.output } : {}),
              })
          : undefined;
      const checkToolResult = safety ? async (text: string) => safety.checkToolResult(text) : undefined;
      let blocked: { stage: "output"; category?: string } | undefined;
      const tools = input.tools ? turnToolRegistry(input.tools) : (routed?.tools ?? this.tools);
      // Only a session's first message is self-contained enough to share an answer with another's.
      // A message that only states a preference ("keep your answers short") is answered by the agent.
      const acknowledgment =
        this.#options.profiles && !input.history && !input.planOnly
          ? preferenceAcknowledgment(userText, language)
          : undefined;
      if (acknowledgment) {
        turn.addText(acknowledgment);
        turn.timer.markFirstToken();
        yield { type: "text-delta", turnId, text: acknowledgment, segment: turn.segment };
        await turn.timer.time("store", () =>
          memory.keep(turn.record(keptText, { model: "profile", timings: turn.timer.finish() })),
        );
        this.profiles.learn(owner, { userText, toolsUsed: [] }, profileGeneration);
        yield this.#finish(turn, "completed");
        return;
      }
      // Not for a message with images, nor one asking for reasoning chains; an answer is shared only
      // among turns of the same specialist (its prompt wrote it).
      const cacheable =
        !input.history && !input.planOnly && !images && input.reasoning !== "chains" && loaded.recentTurns.length === 0;
      const answerer = routed ? `${this.model.id}/${routed.choice.specialist.name}` : this.model.id;
      const cache =
        this.#options.cache && cacheable
          ? { cache: this.#options.cache, scope: cacheScopeOf(input.owner, tools, answerer, language) }
          : undefined;
      if (cache) {
        const lookup = await turn.timer.time("loadContext", () =>
          cache.cache.lookup(userText, cache.scope, { signal }).catch(() => undefined),
        );
        if (lookup) {
          yield {
            type: "cache-lookup",
            turnId,
            hit: lookup.hit !== undefined,
            nearestSimilarity: lookup.nearestSimilarity,
            ...(lookup.refused ? { refused: lookup.refused } : {}),
          };
        }
        if (lookup?.hit) {
          turn.addText(lookup.hit.text);
          turn.timer.markFirstToken();
          yield { type: "text-delta", turnId, text: lookup.hit.text, segment: turn.segment };
          await turn.timer.time("store", () =>
            memory.keep(turn.record(keptText, { model: "cache", timings: turn.timer.finish() })),
          );
          yield { ...this.#finish(turn, "completed"), cacheHit: { similarity: lookup.hit.similarity } } as AgentEvent;
          return;
        }
      }
      if (input.reasoning === "chains") {
        // Opt-in: the chains reason at once, without tools, and the answer round synthesizes them.
        const chains = await turn.timer.time("model", () =>
          runReasoningChains(this.model, messages, {
            signal,
            maxOutputTokens: input.maxOutputTokens ?? this.#options.maxOutputTokens ?? 256,
            ...(this.#options.temperature !== undefined ? { temperature: this.#options.temperature } : {}),
            ...(this.#options.seed !== undefined ? { seed: this.#options.seed } : {}),
          }),
        );
        for (const chain of chains) turn.addUsage(chain.usage);
        // The chains reach the client (a system event): the output guard reads each first, and one it
        // blocks is neither shown nor synthesized.
        if (checkOutput) {
          const decisions = await Promise.all(chains.map((chain) => checkOutput(chain.text)));
          for (const decision of decisions)
            if (decision.action === "block") yield { type: "guard", turnId, ...decision };
          const allowed = chains.filter((_, index) => decisions[index]!.action !== "block");
          chains.splice(0, chains.length, ...allowed);
        }
        const majority = majorityAnswer(chains);
        yield {
          type: "reasoning-chains",
          turnId,
          chains: chains.map(({ kind, answer, text }) => ({ kind, text, ...(answer ? { answer } : {}) })),
          ...(majority ? { majority: majority.answer } : {}),
        };
        if (chains.length > 0) messages.splice(0, messages.length, ...synthesisMessages(messages, chains));
      }
      const allTools = tools.definitions();
      const route: ToolRoute =
        input.reasoning === "chains"
          ? { tools: [], toolChoice: "none" }
          : this.#options.toolRouter
            ? await this.#options.toolRouter(userText, allTools, {
                previousUserText: context.recentTurns.at(-1)?.userText,
                signal,
              })
            : { tools: allTools, toolChoice: "auto" };
      const definitions = route.toolChoice === "none" ? [] : route.tools;
      const systemText = messages[0]?.role === "system" ? messages[0].content : undefined;
      // Said with the message in the rounds that write the answer, not in the one that decides on tools
      // (the 0.5B model, reminded there, chose another tool).
      const reminder = languageReminder(language, context);
      const userIndex = messages.length - 1;
      const maxToolRounds = this.#options.maxToolRounds ?? 3;
      const maxOutputTokens = input.maxOutputTokens ?? this.#options.maxOutputTokens;

      const agentSaysFailures = (this.#options.serviceFailureAnswers ?? "agent") === "agent";
      // Calls the services could not answer, while others in their round did: said after the answer.
      const unansweredCalls: ServiceFailure[] = [];
      // The tools still offered: when every call of a round is dropped (reconcileCalls), the tools it
      // called go, and the model chooses again among the others ("the price of gold": currency, then
      // web search) or, with none left, answers without tools.
      let offered = definitions;
      for (let round = 0; ; round++) {
        throwIfAborted(signal);
        const mayCallTools = offered.length > 0 && round < maxToolRounds;
        // The default prompt's sentence about tool results, only while tools are offered or answered.
        if (systemText !== undefined) {
          const toolsInPlay = mayCallTools || messages.some((message) => message.role === "tool");
          messages[0] = { role: "system", content: toolsInPlay ? systemText : withoutToolInstruction(systemText) };
        }
        if (reminder)
          messages[userIndex] = {
            role: "user",
            content: round === 0 && mayCallTools ? userText : `${userText}\n\n${reminder}`,
            ...(images ? { images } : {}),
          };
        const request: ModelRequest = {
          messages,
          tools: offered,
          // A required call is required once: after the tool results the model may answer.
          toolChoice: !mayCallTools ? "none" : round === 0 ? route.toolChoice : "auto",
          ...(round === 0 && mayCallTools && route.callEach ? { requiredTools: route.callEach } : {}),
          ...(round === 0 && mayCallTools && route.callLikely ? { callLikely: true } : {}),
          signal,
          ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
          ...(this.#options.temperature !== undefined ? { temperature: this.#options.temperature } : {}),
          ...(this.#options.seed !== undefined ? { seed: this.#options.seed } : {}),
        };
        const modelSpan = startChildSpan(turnSpan, "model.call", {
          "gen_ai.request.model": this.model.id,
          "agent.round": round,
          "agent.tool_choice": request.toolChoice ?? "auto",
          "agent.tools_offered": request.tools.length,
        });
        let result: ModelRoundResult | undefined;
        let modelError: unknown;
        try {
          result = yield* runModelRound(
            this.model,
            request,
            turn,
            checkOutput,
            this.#options.outputRelease === "sentence" ? undefined : defaultEarlyReleasePolicy,
          );
        } catch (error) {
          modelError = error;
          throw error;
        } finally {
          // Also when the caller stops the turn mid-stream (the generator's return): no span left open.
          if (result) {
            modelSpan.setAttributes({
              "agent.finish_reason": result.finishReason,
              "agent.tool_calls": result.toolCalls.length,
            });
          }
          endSpan(modelSpan, modelError === undefined ? undefined : { message: messageOf(modelError) });
        }
        throwIfAborted(signal);
        if (result.blocked) {
          // After a sentence's shown start ("To "), the answer visibly breaks off before the note.
          const separator = turn.text.trim() && !/\s$/.test(turn.text) ? " " : "";
          const refusal = `${separator}${result.cutShort ? "… " : ""}${refusalMessage("output", result.blocked.category, language)}`;
          turn.addText(refusal);
          turn.confidence = undefined; // the agent's words, not the model's
          yield { type: "text-delta", turnId, text: refusal, segment: turn.segment };
          blocked = { stage: "output", ...(result.blocked.category ? { category: result.blocked.category } : {}) };
          break;
        }
        if (result.toolCalls.length === 0) break;
        if (!mayCallTools) {
          throw new AgentError(
            "TURN_MAX_ROUNDS",
            `The model still asked for tools after ${maxToolRounds} tool rounds.`,
          );
        }
        const reconcileContext = { userText, previousUserText: context.recentTurns.at(-1)?.userText, language };
        const { kept, dropped } = reconcileCalls(result.toolCalls, tools, reconcileContext, log);
        if (kept.length === 0) {
          const droppedTools = new Set(dropped.map((call) => call.name));
          offered = offered.filter((tool) => !droppedTools.has(tool.name));
          continue;
        }
        result.toolCalls = kept;

        messages.push({ role: "assistant", content: result.text, toolCalls: result.toolCalls });
        for (const call of result.toolCalls) {
          yield { type: "tool-call", turnId, callId: call.callId, name: call.name, arguments: call.arguments };
        }
        if (input.planOnly) {
          for (const call of result.toolCalls)
            turn.toolCalls.push({ callId: call.callId, name: call.name, arguments: call.arguments });
          break;
        }
        const toolOptions = { registry: tools, sessionId: input.sessionId, signal, logger: log, language };
        const toolRound = runToolRound(result.toolCalls, toolOptions, turn, checkToolResult);
        messages.push(...(yield* tracedToolRound(toolRound, result.toolCalls, turnSpan)));
        turn.startNextSegment();
        const failures = serviceFailuresOf(turn.toolCalls.slice(-result.toolCalls.length), tools);
        if (failures.length > 0 && agentSaysFailures) {
          if (failures.length === result.toolCalls.length) {
            const answer = serviceFailureAnswer([...unansweredCalls, ...failures], language);
            turn.addText(answer);
            turn.confidence = undefined; // the agent's words, not the model's
            yield { type: "text-delta", turnId, text: answer, segment: turn.segment };
            unansweredCalls.length = 0;
            break;
          }
          // Some calls answered: the model answers from those alone (shown an error, a small model
          // repeats it as its answer), and the agent adds which services could not answer.
          hideCalls(messages, new Set(failures.map((failure) => failure.callId)));
          unansweredCalls.push(...failures);
        }
        if (round + 1 === maxToolRounds) {
          yield {
            type: "tool-rounds-exhausted",
            turnId,
            maxToolRounds,
            message: `Tool rounds exhausted (${maxToolRounds}); asking for a final answer.`,
          };
        }
      }

      if (unansweredCalls.length > 0) {
        const note = `${turn.text.trim() ? " " : ""}${serviceFailureAnswer(unansweredCalls, language)}`;
        turn.addText(note);
        turn.confidence = undefined; // the agent's words, not the model's
        yield { type: "text-delta", turnId, text: note, segment: turn.segment };
      }

      await turn.timer.time("store", () => memory.keep(turn.record(keptText, { timings: turn.timer.finish() })));
      if (!input.history) this.#summarizeIfDue(input.sessionId, loaded, language);
      if (this.#options.profiles && !input.history && !input.planOnly)
        this.profiles.learn(owner, { userText, toolsUsed: turn.toolsUsed }, profileGeneration);
      // Kept for later askers: a complete answer, no service failed, every tool used allows reuse.
      if (
        cache &&
        !blocked &&
        turn.text.trim() &&
        !looksLikeRefusal(turn.text) &&
        unansweredCalls.length === 0 &&
        !turn.toolCalls.some((call) => call.error)
      ) {
        const ttl = cacheTtlOf(turn.toolsUsed, tools);
        if (ttl !== undefined)
          void cache.cache
            .store(
              userText,
              cache.scope,
              { text: turn.text, toolsUsed: turn.toolsUsed },
              ttl === "default" ? {} : { ttlMs: ttl },
            )
            .catch((error: unknown) =>
              log.warn("semantic cache: could not keep the answer", {
                error: messageOf(error),
              }),
            );
      }
      yield blocked ? ({ ...this.#finish(turn, "completed"), blocked } as AgentEvent) : this.#finish(turn, "completed");
    } catch (error) {
      const agentError = toAgentError(signal.aborted ? (signal.reason ?? error) : error);
      if (interruption.signal.aborted) {
        // Interrupted by a newer message: what the user said and what was answered so far stay.
        await this.#keepUnfinished(
          memory,
          turn.record(withImagesNoted(input.text.trim(), input.images?.length ?? 0), { error: errorOf(interrupted()) }),
        );
        yield this.#finish(turn, "aborted");
      } else if (signal.aborted || agentError.code === "TURN_ABORTED") {
        // Stopped by its user, not by the server (a shutdown, the session deleted).
        if (!input.history && cancelledByUser(input.signal?.reason))
          this.feedback.noticeAbandoned(input.sessionId, input.owner ?? localOwner, turnId);
        yield this.#finish(turn, "aborted");
      } else {
        spanError = { code: agentError.code, message: agentError.message };
        // A logger without child loggers gets the turn's ids in the line itself.
        const ids = this.#logger.child ? {} : { sessionId: input.sessionId, turnId };
        log.warn("turn failed", { ...ids, code: agentError.code, error: agentError.message });
        await this.#keepFailedTurn(input, memory, turn, agentError);
        yield {
          type: "error",
          turnId,
          code: agentError.code,
          message: agentError.message,
          retryable: agentError.retryable,
        };
      }
    } finally {
      turnSpan.setAttributes({
        "turn.outcome": spanError ? "error" : signal.aborted ? "aborted" : "completed",
        "turn.tools_used": turn.toolsUsed.join(","),
        "gen_ai.usage.input_tokens": turn.usage.inputTokens,
        "gen_ai.usage.output_tokens": turn.usage.outputTokens,
      });
      endSpan(turnSpan, spanError);
      interruptible.delete(interruption);
      if (interruptible.size === 0 && this.#interruptible.get(input.sessionId) === interruptible)
        this.#interruptible.delete(input.sessionId);
      releaseShared?.();
      release();
    }
  }

  /**
   * The specialist for a turn (none without a router): the one the caller named, else the router's
   * choice; and its tools, with a consultation tool for each other specialist the message is near.
   */
  async #routeSpecialist(
    input: TurnInput,
    userText: string,
    previousUserText: string | undefined,
    signal: AbortSignal,
    turn: TurnProgress,
  ): Promise<{ choice: SpecialistChoice; tools: ToolRegistry; namedByCaller: boolean } | undefined> {
    const router = this.#options.specialists;
    if (!router) {
      if (input.specialist !== undefined)
        throw new UserInputError("INPUT_MALFORMED", "This agent has no specialists (RTA_SPECIALISTS is off).");
      return undefined;
    }
    let choice: SpecialistChoice;
    if (input.specialist !== undefined) {
      const named = router.byName(input.specialist);
      if (!named)
        throw new UserInputError(
          "INPUT_MALFORMED",
          `No specialist is named ${JSON.stringify(input.specialist)} (there are: ${router.specialists.map((one) => one.name).join(", ")}).`,
        );
      choice = { specialist: named, share: 1, consultable: [], followUp: false };
    } else {
      choice = await router.route(userText, { previousUserText, signal });
    }
    const budget = { left: input.maxConsultations ?? this.#options.maxConsultations ?? 1 };
    // Only a specialist short of tools needs to ask another (with every tool, a consultation is only a
    // detour: the 0.5B model, offered one, consulted travel for a fuel calculation).
    if (budget.left <= 0 || !choice.specialist.tools) choice = { ...choice, consultable: [] };
    const consultations = choice.consultable.map((other) =>
      consultationTool(other, budget, async (specialist, question, context) => {
        const answer = await this.#askSpecialist(specialist, question, context, input.owner);
        // The consulted turn's tokens are this turn's too (its usage, cost and metrics).
        turn.addUsage(answer.usage);
        return answer.text;
      }),
    );
    return {
      choice,
      tools: this.#specialistTools.forSpecialist(this.tools, choice.specialist, consultations),
      namedByCaller: input.specialist !== undefined,
    };
  }

  /** A consultation: the specialist answers the question as a turn of its own that keeps nothing. */
  async #askSpecialist(
    specialist: Specialist,
    question: string,
    context: ToolContext,
    owner: string | undefined,
  ): Promise<{ text: string; usage: TokenUsage }> {
    const turn = this.runTurn({
      sessionId: `${context.sessionId}/consult/${context.callId}`,
      ...(owner !== undefined ? { owner } : {}),
      text: question,
      signal: context.signal,
      history: [],
      specialist: specialist.name,
      maxConsultations: 0,
    });
    for await (const event of turn) {
      if (event.type === "error")
        throw new ToolError(
          "TOOL_FAILED",
          `The ${specialist.name} specialist could not answer (${event.code}): ${event.message}`,
          {
            details: { code: event.code },
          },
        );
      if (event.type === "turn-finish") {
        if (event.outcome !== "completed")
          throw new ToolError("TOOL_FAILED", `The ${specialist.name} specialist was stopped.`);
        return { text: event.text, usage: event.usage };
      }
    }
    throw new ToolError("TOOL_FAILED", `The ${specialist.name} specialist gave no answer.`);
  }

  /** Starts the rolling summary in the background when enough turns have left the recalled window. */
  #summarizeIfDue(sessionId: string, before: SessionContext, language: LanguageCode | undefined): void {
    const window =
      this.#options.contextWindow === false ? undefined : (this.#options.contextWindow ?? defaultContextWindow);
    if (!window || this.#summarizing.has(sessionId)) return;
    const covers = summaryDue({ ...before, turnCount: (before.turnCount ?? 0) + 1 }, window);
    if (covers === undefined) return;
    const started = writeRollingSummary(this.model, this.store, sessionId, covers, { ...window, language })
      .then((summary) =>
        this.#logger.debug("rolling summary written", { sessionId, coversTurns: covers, chars: summary.length }),
      )
      .catch((error: unknown) =>
        this.#logger.warn("rolling summary failed; the recent turns are still recalled", {
          sessionId,
          error: messageOf(error),
        }),
      )
      .finally(() => this.#summarizing.delete(sessionId));
    this.#summarizing.set(sessionId, started);
  }

  /** A failed turn still records what the user said (not for input the guard refused, nor without a store). */
  async #keepFailedTurn(input: TurnInput, memory: SessionMemory, turn: TurnProgress, error: AgentError): Promise<void> {
    if (error.fault === "user" || error.fault === "store") return;
    await this.#keepUnfinished(
      memory,
      turn.record(withImagesNoted(input.text.trim(), input.images?.length ?? 0), {
        assistantText: "",
        error: errorOf(error),
      }),
    );
  }

  /** An interrupted turn keeps what the user said and what was answered so far. */
  async #keepUnfinished(memory: SessionMemory, record: TurnRecord): Promise<void> {
    try {
      await memory.keep(record);
    } catch (storeError) {
      this.#logger.error("could not keep the unfinished turn", { turnId: record.turnId, error: messageOf(storeError) });
    }
  }

  #finish(turn: TurnProgress, outcome: TurnOutcome): AgentEvent {
    return {
      type: "turn-finish",
      turnId: turn.turnId,
      outcome,
      text: turn.text,
      answerSegment: turn.segment,
      toolsUsed: turn.toolsUsed,
      usage: turn.usage,
      provider: turn.provider,
      model: turn.model,
      timings: turn.timer.finish(),
      ...(turn.confidence !== undefined ? { confidence: turn.confidence } : {}),
      ...costField(costOf(this.#options.prices ?? defaultPrices, turn.provider, turn.model, turn.usage)),
    };
  }

  /**
   * Loads what a first turn would load on its way, side by side rather than one after another: the
   * model (a local model reads no prompt here), the embedder and the guard's and the specialist router's
   * examples. A one-shot command starts it beside its turn; `warmUp` begins with it.
   */
  async prepare(): Promise<void> {
    await Promise.all([this.model.warmUp?.([]), this.#options.safety?.load(), this.#options.specialists?.load()]);
  }

  /**
   * Has the model prepare for the turns this agent will start: the system prompt (each specialist's,
   * with specialists) in each of `languages`, with no tool and with each tool offered alone (what the
   * tool predictor offers most often). A local model reads
   * those system turns into its prompt cache, so the first turn that calls a tool does not (~1.3 s on
   * one thread for each), and the safety guard embeds its examples. Returns how many were prepared (0
   * for models without `warmUp`).
   */
  async warmUp(languages: readonly LanguageCode[] = ["en", "es"]): Promise<number> {
    await this.prepare();
    if (!this.model.warmUp) return 0;
    // The prompts turns will start with: each specialist's (a router picks one for every turn), or the
    // agent's own; each with no tool (plain chat) and with each tool alone (what the predictor offers).
    const specialists = this.#options.systemPrompt ? undefined : this.#options.specialists?.specialists;
    const systemPrompts = specialists?.length
      ? specialists.map((specialist) => specialist.systemPrompt)
      : [this.#options.systemPrompt ?? defaultSystemPrompt];
    const empty = { sessionId: "", summary: undefined, recentTurns: [] };
    const messagesOf = (systemPrompt: string, replyLanguage: LanguageCode) =>
      buildMessages(systemPrompt, empty, "…", { replyLanguage });
    const each = <T>(make: (systemPrompt: string, replyLanguage: LanguageCode) => T[]) =>
      systemPrompts.flatMap((systemPrompt) => languages.flatMap((language) => make(systemPrompt, language)));
    // Plain chat first (the prompt a turn offering no tool sends: without the sentence on tool results),
    // then the answer after tool results (that sentence, no tool listed), then each tool offered alone.
    const requests = [
      ...each((systemPrompt, language) => [
        { messages: messagesOf(withoutToolInstruction(systemPrompt), language), tools: [] },
      ]),
      ...each((systemPrompt, language) => [{ messages: messagesOf(systemPrompt, language), tools: [] }]),
      ...each((systemPrompt, language) =>
        this.tools.definitions().map((tool) => ({ messages: messagesOf(systemPrompt, language), tools: [tool] })),
      ),
    ];
    const distinct = new Map(
      requests.map((request) => [
        JSON.stringify([request.messages[0]?.content, request.tools.map((tool) => tool.name)]),
        request,
      ]),
    );
    // At most what the local model's prompt cache keeps without evicting the first (plain chat) ones.
    return this.model.warmUp([...distinct.values()].slice(0, maxWarmUpPrompts));
  }

  /** Resolves once the work a turn left running in the background (rolling summaries) is done. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#summarizing.values(), this.feedback.settle(), this.profiles.settle()]);
  }

  async close(): Promise<void> {
    await this.settle();
    await Promise.allSettled([this.model.close?.(), this.store.close?.(), this.tools.close()]);
  }
}

/** Prompts a warm-up reads at most: under the local prompt cache's 64 entries (prefix-state-cache.ts). */
const maxWarmUpPrompts = 56;

/** The round's calls that failed on the service's side (unreachable, too slow, not set up). */
function serviceFailuresOf(
  records: readonly ToolCallRecord[],
  tools: ToolRegistry,
): Array<ServiceFailure & { callId: string }> {
  return records.flatMap((record) =>
    record.error && isServiceFailure(record.error.code)
      ? [
          {
            callId: record.callId,
            service: tools.get(record.name)?.tool.service ?? record.name,
            code: record.error.code,
          },
        ]
      : [],
  );
}

/** Takes calls out of the conversation the model sees: from the assistant's call list and their results. */
function hideCalls(messages: ChatMessage[], callIds: ReadonlySet<string>): void {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === "tool" && callIds.has(message.callId)) messages.splice(index, 1);
    else if (message.role === "assistant" && message.toolCalls?.some((call) => callIds.has(call.callId)))
      messages[index] = { ...message, toolCalls: message.toolCalls.filter((call) => !callIds.has(call.callId)) };
  }
}

/** A guard policy with what would loosen the agent's guard taken out. */
function stricterOnly(
  policy: SpecialistGuardPolicy | undefined,
  safety: SafetyGuard | undefined,
): SpecialistGuardPolicy | undefined {
  if (!policy || !safety) return undefined;
  const { input, output } = policy.thresholds ?? {};
  const thresholds = {
    ...(input !== undefined && input < safety.thresholds.input ? { input } : {}),
    ...(output !== undefined && output < safety.thresholds.output ? { output } : {}),
  };
  return { thresholds, ...(policy.guardOutput === true ? { guardOutput: true } : {}) };
}

/** What the session keeps of a message: its words, and that it carried images (never empty then). */
function withImagesNoted(text: string, images: number): string {
  if (images === 0) return text;
  return `${text}${text ? " " : ""}[${images === 1 ? "an image" : `${images} images`}]`;
}

/** The tools a turn brings along, checked like any plugin's. */
function turnToolRegistry(tools: readonly Tool[]): ToolRegistry {
  // No tools at all: the model answers from what it knows.
  if (tools.length === 0) return new ToolRegistry();
  return new ToolRegistry().register({ name: "turn-tools", version: "1.0.0", tools });
}

function costField(cost: number | undefined): { costUsd?: number } {
  return cost === undefined ? {} : { costUsd: cost };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AgentError("TURN_ABORTED", "The turn was cancelled.");
}

function errorOf(error: AgentError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

function interrupted(): UserInputError {
  return new UserInputError("TURN_ABORTED", "Interrupted by a newer message on the session.");
}

function blockedOf(decision: { stage: "input" | "tool-result" | "output"; category?: string | undefined }): {
  stage: "input" | "tool-result" | "output";
  category?: string;
} {
  return { stage: decision.stage, ...(decision.category ? { category: decision.category } : {}) };
}
