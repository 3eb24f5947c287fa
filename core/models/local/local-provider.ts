import {
  LlamaCompletion,
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaText,
  SpecialTokensText,
  type Token,
  TokenBias,
} from "node-llama-cpp";
import { AgentError, ProviderError, UserInputError } from "../../contracts/errors.ts";
import type { ChatMessage } from "../../contracts/messages.ts";
import type { ModelCapabilities, ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";
import { ProtocolTextGuard } from "./protocol-text-guard.ts";
import { LeadingMetaFilter } from "./leading-meta-filter.ts";
import { AsyncQueue } from "../async-queue.ts";
import type { AnswerPrompt, ChatFormat, FormatRun, RenderedPrompt } from "./chat-format.ts";
import { buildJsonValueGrammar } from "./json-schema-grammar.ts";
import { loadLocalModel, type LoadedLocalModel, type LocalModelOptions } from "./local-model.ts";
import type { ChatFormatName } from "./model-catalogue.ts";
import type { PrefixReadiness } from "./prefix-state-cache.ts";
import { callLeaning, qwenFormat } from "./qwen-format.ts";
import { sequenceConfidence, TokenConfidenceRecorder } from "./token-confidence.ts";
import { type ConfidenceSampling, thinConfidenceSampling } from "./thinned-confidence.ts";
import { type ConfidenceCalibration, calibrateConfidence } from "../confidence-calibration.ts";
import { localConfidenceCalibration } from "./local-confidence-calibration.ts";
import { smollm2Format } from "./smollm2-format.ts";

export interface LocalProviderOptions extends LocalModelOptions {
  /** Default cap on generated tokens per answer (default 512). */
  maxOutputTokens?: number;
  /**
   * Whether the model may call tools again after seeing tool results. Small models tend to repeat the
   * same call, so by default they answer from the results instead.
   */
  chainToolCalls?: boolean;
  /**
   * Penalty on tokens repeated within the last 64 of an answer (default 1.1; 1 turns it off).
   * Small models otherwise loop on a sentence until the token limit.
   */
  repeatPenalty?: number;
  /**
   * The most tool calls one response may make in Qwen2.5's format (default 4; SmolLM2's list format keeps
   * its own limit). Beyond the first, a call counts only when it brings a value of its own from the
   * request (grounded-values.ts): let to go on freely, Qwen2.5-Coder-0.5B adds variations of its call.
   */
  maxToolCallsPerResponse?: number;
  /** The prompt format; default: the catalogue's for a named model, else read from the GGUF. */
  chatFormat?: ChatFormatName;
  /**
   * Whether evaluated system turns (with their tool lists) are saved and restored across requests
   * (default true; prefix-state-cache.ts). Off, a request reuses only what its sequence last held.
   */
  prefixCache?: boolean;
  /**
   * Maps the answers' raw confidence (their tokens' geometric-mean probability) to the chance they are
   * right. Default: the model's in confidence-calibration.json, if it has one; `false`: the raw figure.
   */
  confidenceCalibration?: ConfidenceCalibration | false;
  /**
   * Which tokens' probabilities the confidence is read from (thinned-confidence.ts): default the first
   * 32 of a response, then one in 4; `every` reads all (a third slower to decode). Set once per
   * process: the first provider on a loaded model decides.
   */
  confidenceSampling?: ConfidenceSampling | "every";
}

const chatFormats: Record<ChatFormatName, ChatFormat> = { "qwen2.5": qwenFormat, smollm2: smollm2Format };

/**
 * The embedded default provider: a GGUF model run in-process by node-llama-cpp on the CPU. Each model
 * is prompted in the format it was trained on (qwen-format.ts, smollm2-format.ts); tool calls are
 * sampled under a grammar compiled from the tools' schemas, so they always parse; text answers stream
 * token by token.
 */
export class LocalModelProvider implements ModelProvider {
  readonly id = "local";
  readonly #options: LocalProviderOptions;
  readonly #grammars = new Map<string, Promise<LlamaGrammar>>();
  #model: LoadedLocalModel | undefined;

  constructor(options: LocalProviderOptions = {}) {
    this.#options = options;
  }

  get capabilities(): ModelCapabilities {
    return {
      toolCalling: true,
      vision: false,
      contextTokens: this.#model?.contextTokens ?? this.#options.contextTokens ?? 4096,
    };
  }

  /** Loads the model now rather than on the first request. Returns the load time in milliseconds. */
  async load(): Promise<LoadedLocalModel> {
    this.#model ??= await loadLocalModel(this.#options);
    return this.#model;
  }

  /**
   * Reads the system turns of these requests (their system prompt and tool list) into the prefix cache
   * now, so that the first real request with one of them starts from it: a server calls this after
   * loading, with the prompts its agent will send. Generates nothing. Returns how many were read.
   */
  async warmUp(requests: readonly Pick<ModelRequest, "messages" | "tools">[]): Promise<number> {
    const loaded = await this.load();
    const format = this.#formatOf(loaded);
    format.prepare?.(loaded.model);
    if (this.#options.prefixCache === false) return 0;
    let read = 0;
    for (const request of requests) {
      const lease = await loaded.acquireSequence();
      try {
        const render = (messages: readonly ChatMessage[]) => format.decisionPrompt(messages, request.tools);
        const prompt = fitToContext(loaded, request.messages, render, 0);
        if ((await readySystemTurn(loaded, lease.sequence, prompt.tokens)) === "saved") read++;
      } finally {
        lease.release();
      }
    }
    return read;
  }

  /**
   * How strongly the model leans towards calling a tool for this request: the probability that its first
   * token starts a call (Qwen2.5's format only; nothing is generated). For measuring the call/no-call
   * decision (evals/suites/bfcl/measure-call-decision.ts).
   */
  async callLeaning(request: Pick<ModelRequest, "messages" | "tools">): Promise<number> {
    const loaded = await this.load();
    const format = this.#formatOf(loaded);
    if (format !== qwenFormat)
      throw new ProviderError("PROVIDER_FAILED", `Call leaning is measured in Qwen2.5's format, not ${format.name}.`);
    const lease = await loaded.acquireSequence();
    try {
      const tokens = format.decisionPrompt(request.messages, request.tools).tokenize(loaded.model.tokenizer);
      const run = { loaded, sequence: lease.sequence } as Pick<FormatRun, "loaded" | "sequence">;
      return (await callLeaning(run, tokens)).call;
    } finally {
      lease.release();
    }
  }

  /** The prompt format: the one set in the options, else the model's own. */
  #formatOf(loaded: LoadedLocalModel): ChatFormat {
    return chatFormats[this.#options.chatFormat ?? loaded.chatFormat];
  }

  get modelName(): string {
    return (
      this.#model?.modelPath
        .split("/")
        .pop()
        ?.replace(/\.gguf$/i, "") ?? "local"
    );
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamEvent> {
    const loaded = await this.load();
    const lease = await loaded.acquireSequence(request.signal);
    const completion = new LlamaCompletion({ contextSequence: lease.sequence });
    const format = this.#formatOf(loaded);
    const mayCallTools =
      request.tools.length > 0 &&
      request.toolChoice !== "none" &&
      !request.responseFormat &&
      (this.#options.chainToolCalls || request.messages.at(-1)?.role !== "tool");
    const run: FormatRun = {
      loaded,
      sequence: lease.sequence,
      completion,
      request,
      mayCallTools,
      maxToolCalls: Math.max(1, this.#options.maxToolCallsPerResponse ?? 4),
      grammar: (source) => this.#grammar(loaded, source),
      preparePrompt: async (render, reserve) => {
        const prompt = fitToContext(loaded, request.messages, render, reserve);
        if (this.#options.prefixCache !== false) await readySystemTurn(loaded, lease.sequence, prompt.tokens);
        return prompt;
      },
    };
    // The probability of each token sampled on the lease: what the response's confidence is read from.
    const sampling = this.#options.confidenceSampling;
    if (sampling !== "every") thinConfidenceSampling(lease.sequence, sampling);
    const recorder = new TokenConfidenceRecorder(lease.sequence);
    try {
      if (mayCallTools) {
        const decision = await format.decideToolCalls(run);
        if (decision.calls.length > 0) {
          for (const call of decision.calls) yield { type: "tool-call", ...call };
          yield {
            type: "finish",
            reason: "tool-calls",
            usage: decision.usage,
            model: this.modelName,
            ...this.#confidenceOf(loaded, recorder.probabilities),
          };
          return;
        }
      }
      recorder.reset();
      yield* this.#streamAnswer(run, format, recorder);
    } catch (error) {
      throw asProviderError(error, request.signal);
    } finally {
      recorder.detach();
      completion.dispose();
      lease.release();
    }
  }

  /** The response's confidence, calibrated for the model when it can be (none for no sampled token). */
  #confidenceOf(loaded: LoadedLocalModel, probabilities: readonly number[]): { confidence?: number } {
    const raw = sequenceConfidence(probabilities);
    if (raw === undefined) return {};
    const option = this.#options.confidenceCalibration;
    const calibration =
      option === false ? undefined : (option ?? localConfidenceCalibration(loaded.catalogueModel?.name));
    return { confidence: calibrateConfidence(raw, calibration) };
  }

  async *#streamAnswer(
    run: FormatRun,
    format: ChatFormat,
    recorder: TokenConfidenceRecorder,
  ): AsyncGenerator<ModelStreamEvent> {
    const { loaded, request, completion } = run;
    const maxTokens = request.maxOutputTokens ?? this.#options.maxOutputTokens ?? 512;
    const prompt = await format.answerPrompt(run, maxTokens);
    const chunks = new AsyncQueue<string>();
    let outputTokens = 0;
    const grammar = request.responseFormat
      ? await this.#grammar(loaded, buildJsonValueGrammar(request.responseFormat.schema))
      : undefined;
    const tokenBias = forbiddenTokenBias(loaded, prompt, () => outputTokens);
    // A JSON answer (responseFormat) is JSON by design; any other answer ends before protocol text.
    const guard = request.responseFormat
      ? { push: (text: string) => text, flush: () => "", stopped: false }
      : new ProtocolTextGuard();
    const protocolStop = new AbortController();
    const generation = completion.generateCompletionWithMeta(prompt.tokens, {
      ...(grammar ? { grammar } : {}),
      ...(tokenBias ? { tokenBias } : {}),
      maxTokens,
      temperature: request.temperature ?? 0,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      signal: request.signal ? AbortSignal.any([request.signal, protocolStop.signal]) : protocolStop.signal,
      stopOnAbortSignal: true,
      trimWhitespaceSuffix: true,
      repeatPenalty:
        grammar || (this.#options.repeatPenalty ?? 1.1) === 1
          ? false
          : { lastTokens: 64, penalty: this.#options.repeatPenalty ?? 1.1 },
      onTextChunk: (text) => chunks.push(text),
      onToken: (tokens) => {
        outputTokens += tokens.length;
      },
    });
    generation.then(
      () => chunks.close(),
      (error: unknown) => chunks.fail(error),
    );
    // After tool results the 0.5B model may open by grading them ("La respuesta proporcionada es correcta.").
    const meta =
      request.messages.at(-1)?.role === "tool" && !request.responseFormat ? new LeadingMetaFilter() : undefined;
    let started = false;
    let generated: Awaited<typeof generation> | undefined;
    try {
      for await (const chunk of chunks) {
        const shown = guard.push(meta ? meta.push(chunk) : chunk);
        if (guard.stopped) protocolStop.abort();
        const text = started ? shown : shown.trimStart();
        if (text.length === 0) continue;
        started = true;
        yield { type: "text-delta", text };
      }
      const held = (meta ? guard.push(meta.flush()) : "") + guard.flush();
      if (held) yield { type: "text-delta", text: started ? held : held.trimStart() };
      generated = await generation;
    } finally {
      // The caller stopped reading (the output guard held a sentence back): the generation must end
      // before the sequence goes back to the pool, or the next turn decodes into a busy sequence.
      if (!generated) {
        protocolStop.abort();
        await generation.catch(() => undefined);
      }
    }
    const result = generated;
    const reason = request.signal?.aborted ? "abort" : result.metadata.stopReason === "maxTokens" ? "length" : "stop";
    yield {
      type: "finish",
      reason,
      usage: { inputTokens: prompt.tokens.length, outputTokens },
      model: this.modelName,
      ...this.#confidenceOf(loaded, recorder.probabilities),
    };
  }

  #grammar(loaded: LoadedLocalModel, source: string): Promise<LlamaGrammar> {
    let grammar = this.#grammars.get(source);
    if (!grammar) {
      grammar = loaded.llama.createGrammar({ grammar: source });
      grammar.catch(() => this.#grammars.delete(source));
      this.#grammars.set(source, grammar);
      if (this.#grammars.size > 64) this.#grammars.delete(this.#grammars.keys().next().value!);
    }
    return grammar;
  }

  async close(): Promise<void> {
    // The loaded model is shared across providers in this process; it lives until the process ends.
  }
}

/** Renders the prompt, dropping the oldest non-system messages until it fits the context with `reserve` to spare. */
function fitToContext(
  loaded: LoadedLocalModel,
  messages: readonly ChatMessage[],
  render: (messages: readonly ChatMessage[]) => LlamaText,
  reserve: number,
): RenderedPrompt {
  let kept = [...messages];
  for (;;) {
    const text = render(kept);
    const tokens = text.tokenize(loaded.model.tokenizer);
    if (tokens.length + reserve <= loaded.contextTokens) return { text, tokens };
    const dropAt = kept.findIndex((message, index) => message.role !== "system" && index < kept.length - 1);
    if (dropAt < 0) {
      throw new ProviderError(
        "PROVIDER_CONTEXT_OVERFLOW",
        `The conversation needs ${tokens.length} tokens; the local model's context holds ${loaded.contextTokens}.`,
      );
    }
    kept = kept.filter((_, index) => index !== dropAt);
  }
}

/**
 * Puts the evaluated system turn, everything through the first `<|im_end|>` (both formats are
 * ChatML), in the sequence: kept, restored from the prefix cache, or read and saved for later.
 */
async function readySystemTurn(
  loaded: LoadedLocalModel,
  sequence: LlamaContextSequence,
  promptTokens: Token[],
): Promise<PrefixReadiness | undefined> {
  const endOfTurn = endOfTurnToken(loaded);
  if (endOfTurn === undefined) return undefined;
  const { bos, shouldPrependBosToken } = loaded.model.tokens;
  const tokens =
    shouldPrependBosToken && bos !== null && promptTokens[0] !== bos ? [bos, ...promptTokens] : promptTokens;
  const end = tokens.indexOf(endOfTurn);
  return end > 0 ? loaded.prefixCache.ready(sequence, tokens, end + 1) : undefined;
}

const endOfTurnTokens = new WeakMap<LoadedLocalModel, Token | null>();

function endOfTurnToken(loaded: LoadedLocalModel): Token | undefined {
  let token = endOfTurnTokens.get(loaded);
  if (token === undefined) {
    const tokens = LlamaText(new SpecialTokensText("<|im_end|>")).tokenize(loaded.model.tokenizer);
    token = tokens.length === 1 ? tokens[0]! : null;
    endOfTurnTokens.set(loaded, token);
  }
  return token ?? undefined;
}

/** Keeps a format's tool-call markup out of a text answer: never anywhere, and some tokens not first. */
function forbiddenTokenBias(
  loaded: LoadedLocalModel,
  prompt: AnswerPrompt,
  generatedSoFar: () => number,
): (() => TokenBias) | undefined {
  const forbidden = prompt.forbidden;
  if (!forbidden || (forbidden.always.length === 0 && forbidden.first.length === 0)) return undefined;
  const biasFor = (tokens: readonly Token[]) => {
    const bias = new TokenBias(loaded.model.tokenizer);
    for (const token of tokens) bias.set(token, "never");
    return bias;
  };
  const always = biasFor(forbidden.always);
  const first = biasFor([...forbidden.always, ...forbidden.first]);
  return () => (generatedSoFar() === 0 ? first : always);
}

function asProviderError(error: unknown, signal: AbortSignal | undefined): AgentError {
  if (AgentError.isInstance(error)) return error;
  if (signal?.aborted) return new UserInputError("TURN_ABORTED", "The local model was cancelled.");
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError("PROVIDER_FAILED", `The local model failed: ${message}`, { cause: error });
}
