import type { LlamaCompletion, LlamaContextSequence, LlamaGrammar, LlamaModel, LlamaText, Token } from "node-llama-cpp";
import type { ChatMessage, TokenUsage, ToolCallRequest } from "../../contracts/messages.ts";
import type { ModelRequest, ToolDefinition } from "../../contracts/model.ts";
import type { LoadedLocalModel } from "./local-model.ts";
import type { ChatFormatName } from "./model-catalogue.ts";

/** What a chat format may use while it answers one request: the model, a leased sequence, helpers. */
export interface FormatRun {
  readonly loaded: LoadedLocalModel;
  readonly sequence: LlamaContextSequence;
  readonly completion: LlamaCompletion;
  readonly request: ModelRequest;
  /** Whether this response may call tools; when not, a format leaves the tool list out of the prompt. */
  readonly mayCallTools: boolean;
  /** The most tool calls one response may make. */
  readonly maxToolCalls: number;
  /** A compiled grammar, cached per source. */
  grammar(source: string): Promise<LlamaGrammar>;
  /**
   * Renders the messages, dropping the oldest non-system ones until `reserve` tokens are left to
   * generate, and readies the sequence: a system turn evaluated before, by any request, is restored
   * from the prefix cache rather than read again.
   */
  preparePrompt(render: (messages: readonly ChatMessage[]) => LlamaText, reserve: number): Promise<RenderedPrompt>;
}

export interface RenderedPrompt {
  text: LlamaText;
  tokens: Token[];
}

export interface ToolDecision {
  calls: ToolCallRequest[];
  usage: TokenUsage;
}

export interface AnswerPrompt extends RenderedPrompt {
  /** Tokens the answer may not contain (a format's tool-call markup), or may not start with. */
  forbidden?: { always: readonly Token[]; first: readonly Token[] };
}

/**
 * One model family's trained prompt format: how it is shown tools and history, how it decides and
 * writes tool calls, and the prompt for a plain text answer. The provider is the same for all.
 */
export interface ChatFormat {
  readonly name: ChatFormatName;
  /** Work done once per model before its first request (tables read from its vocabulary). */
  prepare?(model: LlamaModel): void;
  /** The prompt a tool decision continues; its system turn (with the tool list) is what the prefix cache keeps. */
  decisionPrompt(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): LlamaText;
  /** Which tools to call for the request (none is an answer too). */
  decideToolCalls(run: FormatRun): Promise<ToolDecision>;
  /** The prompt a text answer continues. */
  answerPrompt(run: FormatRun, maxOutputTokens: number): Promise<AnswerPrompt>;
}
