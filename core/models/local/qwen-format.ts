import { randomUUID } from "node:crypto";
import { LlamaText, SpecialTokensText, type LlamaContextSequence, type LlamaModel, type Token } from "node-llama-cpp";
import { z } from "zod";
import type { ChatMessage, ToolCallRequest } from "../../contracts/messages.ts";
import type { ToolDefinition } from "../../contracts/model.ts";
import type { AnswerPrompt, ChatFormat, FormatRun, ToolDecision } from "./chat-format.ts";
import {
  bringsNewValue,
  callsForListedNumbers,
  withListItemsApart,
  withoutInventedLastStep,
  withoutInventedOptionals,
} from "./grounded-values.ts";
import { percentagesAsFractions } from "./percent-arguments.ts";
import { repairedArguments } from "./argument-repairs.ts";
import { withDescribedFormats } from "./described-formats.ts";
import { listsSeveralThings } from "../../tools/message-parts.ts";
import { buildToolArgumentsGrammar, buildToolCallObjectGrammar, parseCallJson } from "./json-schema-grammar.ts";
import { nextTokenProbabilities } from "./next-token-probabilities.ts";
import { renderQwenPrompt } from "./qwen-prompt.ts";
import { withSymbolOperators } from "../../language/spoken-operators.ts";

const callSchema = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) });

/**
 * The tool the model would name next, after `<tool_call>\n{"name": "`, when its first name token has
 * more than even odds. Tools whose names start with the same token cannot be told apart here: then
 * none is chosen.
 */
async function likeliestNextTool(run: FormatRun, context: readonly Token[]): Promise<ToolDefinition | undefined> {
  const model = run.loaded.model;
  const probabilities = await nextTokenProbabilities(run.sequence, [...context, ...model.tokenize('{"name": "')]);
  const firstNameToken = (name: string) => model.tokenize(`${name}"`)[0];
  const ranked = run.request.tools
    .map((tool) => {
      const token = firstNameToken(tool.name);
      return { tool, probability: token === undefined ? 0 : (probabilities.get(token) ?? 0) };
    })
    .sort((left, right) => right.probability - left.probability);
  const best = ranked[0];
  const shared = ranked.some(
    (other) => other !== best && best && firstNameToken(other.tool.name) === firstNameToken(best.tool.name),
  );
  return best && best.probability > 0.5 && !shared ? best.tool : undefined;
}

/** The answer is a call when the model leans this much towards starting one (see `callLeaning`). */
export const callThreshold = 0.5;
/**
 * The same when the tool router judged a call likely (ModelRequest.callLikely). On a development slice
 * of BFCL (the first 50 simple and irrelevance cases, 36 multiple), with the router's judgement: 83 of
 * 86 requests that need a call made one and 41 of 50 that need none made none, against 81 of 86 and 38
 * of 50 for the model alone at 0.5 (evals/suites/bfcl/measure-call-decision.ts).
 */
export const likelyCallThreshold = 0.3;
const tokensPerCall = 192;

/**
 * Qwen2.5-Instruct's own format (see qwen-prompt.ts). The 0.5B Coder model seldom writes the
 * `<tool_call>` tag itself: it starts a call with a bare `{` or a ```json fence. So the decision is
 * read from the first token of its answer: when it leans towards a call, `<tool_call>\n` is written for
 * it and the call is sampled under a grammar compiled from the tools' schemas; after each
 * `</tool_call>` the same reading chooses between another call and the end of the turn. When a call is
 * required, the first reading is skipped and the first call always written. A text answer may never
 * contain the call markup, nor start as a call.
 */
export const qwenFormat: ChatFormat = {
  name: "qwen2.5",

  prepare: (model) => {
    callOpeningTokens(model);
  },

  // The request as the model reads it to write calls: with "17 por 23" as "17 * 23" (spoken-operators.ts).
  decisionPrompt: (messages, tools) => renderQwenPrompt(withLastUserText(messages, withSymbolOperators), tools),

  async decideToolCalls(run: FormatRun): Promise<ToolDecision> {
    const { request } = run;
    const maxCalls = run.maxToolCalls;
    const markup = markupTokens(run.loaded.model);
    const prompt = await run.preparePrompt(
      (messages) => qwenFormat.decisionPrompt(messages, request.tools),
      maxCalls * tokensPerCall,
    );
    const usage = { inputTokens: prompt.tokens.length, outputTokens: 0 };
    // A required call skips the no-call option: the first call is written whatever the model leans to.
    const threshold = request.callLikely ? likelyCallThreshold : callThreshold;
    if (request.toolChoice !== "required" && (await callLeaning(run, prompt.tokens)).call <= threshold) {
      return { calls: [], usage };
    }

    // Tools the message asks for in separate parts are called first, one each, in their order.
    const owed = request.toolChoice === "required" ? requiredTools(request.tools, request.requiredTools) : [];
    let tool = owed.shift() ?? (request.tools.length === 1 ? request.tools[0] : undefined);
    // Whether the call being sampled is owed to a part of the message (then it counts as it is).
    let owedCall = false;
    const requestText = lastUserText(request.messages);
    const calls: ToolCallRequest[] = [];
    /** The calls made, their values as the request writes them (before rates become fractions). */
    const asWritten: Pick<ToolCallRequest, "name" | "arguments">[] = [];
    let context: Token[] = [...prompt.tokens, ...markup.callOpening];
    while (calls.length < maxCalls) {
      const sampled = await sampleCall(run, context, tool);
      usage.outputTokens += sampled.generated;
      if (!sampled.call) break; // cut short
      const parsed = sampled.call;
      const schema = request.tools.find((offered) => offered.name === parsed.name)?.inputSchema;
      const repaired = repairedArguments(
        withoutInventedLastStep(withListItemsApart(parsed.arguments, requestText), requestText),
        schema,
        requestText,
      );
      // The call with the values as the request writes them: the checks below compare with the request.
      const call = { ...parsed, arguments: withoutInventedOptionals(repaired, schema, requestText) };
      // ... and as the tool takes them: rates as fractions, dates and places in the described format.
      const shown = (args: Record<string, unknown>) =>
        withDescribedFormats(percentagesAsFractions(args, schema, requestText), schema, requestText);
      // The 0.5B model likes to follow a call with variations of it (12*7, then 12/7, 12%7…) or with an
      // unrelated offered tool. A further call counts only when it brings a value of its own from the
      // request: another city, another amount ("weather in Tokyo and Paris" makes two calls).
      if (calls.length > 0 && !owedCall && !bringsNewValue(call, asWritten, requestText)) break;
      asWritten.push(call);
      calls.push({ callId: `call_${randomUUID().slice(0, 8)}`, ...call, arguments: shown(call.arguments) });
      context = [...context, ...sampled.tokens, ...markup.callClosing];
      // "For 15, 20 and 30 years": the 0.5B model writes the first call and then repeats it; the list's
      // other numbers each get the same call with their number, without sampling.
      for (const args of callsForListedNumbers(call, asWritten, requestText).slice(0, maxCalls - calls.length)) {
        const listed = { name: call.name, arguments: args };
        asWritten.push(listed);
        calls.push({ callId: `call_${randomUUID().slice(0, 8)}`, name: call.name, arguments: shown(args) });
        const written = run.loaded.model.tokenize(JSON.stringify(listed));
        context = [...context, ...markup.callOpening, ...written, ...markup.callClosing];
      }
      if (request.signal?.aborted || calls.length >= maxCalls) break;
      tool = owed.shift();
      owedCall = tool !== undefined;
      if (tool) {
        context = [...context, ...markup.callOpening];
        continue;
      }
      // After a call the 0.5B model nearly always leans towards another (a variation of the first):
      // one is tried only when the message lists several things, which costs a call's decoding.
      if (!listsSeveralThings(requestText)) break;
      // After `</tool_call>\n` the model either ends its turn or starts another call, which the 0.5B
      // model again begins with a bare `{`: the same first-token reading decides, then the tool it names.
      if ((await callLeaning(run, context)).call <= callThreshold) break;
      context = [...context, ...markup.callOpening];
      tool = await likeliestNextTool(run, context);
      if (!tool) break;
    }
    return { calls, usage };
  },

  async answerPrompt(run: FormatRun, maxOutputTokens: number): Promise<AnswerPrompt> {
    // Tools are listed only when the model may call them: after tool results it answers from them, and
    // a list in view tempts the 0.5B model to write the call again as JSON.
    const tools = run.mayCallTools ? run.request.tools : [];
    const prompt = await run.preparePrompt((messages) => renderQwenPrompt(messages, tools), maxOutputTokens);
    const markup = markupTokens(run.loaded.model);
    const always = [markup.toolCall, markup.toolCallEnd];
    // A JSON answer (responseFormat) starts with `{` by design.
    if (run.request.responseFormat) return { ...prompt, forbidden: { always, first: [] } };
    // With no tool in view and none used in the conversation, there is no call to lean towards: every
    // token that could open one is kept from the first place, and the model's next-token
    // probabilities are not read (they cost a plain-chat answer ~110 ms before its first token).
    if (tools.length === 0 && !usesTools(run.request.messages))
      return { ...prompt, forbidden: { always, first: callOpeningTokens(run.loaded.model) } };
    const leaning = await callLeaning(run, prompt.tokens);
    return { ...prompt, forbidden: { always, first: leaning.callTokens } };
  },
};

interface Markup {
  toolCall: Token;
  toolCallEnd: Token;
  /** `<tool_call>\n`, written for the model once it leans towards a call. */
  callOpening: Token[];
  /** `\n</tool_call>\n` after a call's JSON: the template's separator before another call. */
  callClosing: Token[];
}

const markupCache = new WeakMap<LlamaModel, Markup>();

function markupTokens(model: LlamaModel): Markup {
  let markup = markupCache.get(model);
  if (!markup) {
    const special = (text: string) => LlamaText(new SpecialTokensText(text)).tokenize(model.tokenizer);
    const single = (text: string) => {
      const tokens = special(text);
      if (tokens.length !== 1) throw new Error(`${text} is not one token in this model's vocabulary.`);
      return tokens[0]!;
    };
    markup = {
      toolCall: single("<tool_call>"),
      toolCallEnd: single("</tool_call>"),
      callOpening: special("<tool_call>\n"),
      callClosing: special("\n</tool_call>\n"),
    };
    markupCache.set(model, markup);
  }
  return markup;
}

/** Whether the conversation shows tool calls or results (the model may write another from them). */
function usesTools(messages: readonly ChatMessage[]): boolean {
  return messages.some(
    (message) => message.role === "tool" || (message.role === "assistant" && message.toolCalls?.length),
  );
}

const callOpeningCache = new WeakMap<LlamaModel, { list: Token[]; set: ReadonlySet<Token> }>();

/**
 * Every token of the vocabulary that opens a call as `callLeaning` reads one: `<tool_call>`, or text
 * starting with `{` or `<` (518 of Qwen2.5's 151,936 tokens). Read once per model (~160 ms on 2 cores;
 * the provider's warm-up does it before the first request). Unlike `callLeaning`, it leaves a ```json
 * fence allowed (telling a call's fence from a code answer's needs the probabilities): with no tool
 * in view such a call is text, and the answer still ends before call markup (ProtocolTextGuard).
 */
export function callOpeningTokens(model: LlamaModel): Token[] {
  return callOpenings(model).list;
}

function callOpenings(model: LlamaModel): { list: Token[]; set: ReadonlySet<Token> } {
  let openings = callOpeningCache.get(model);
  if (!openings) {
    const markup = markupTokens(model);
    const vocabularySize = vocabularySizeOf(model);
    const list: Token[] = [];
    for (let token = 0; token < vocabularySize; token++) {
      const text = model.detokenize([token as Token], true).trimStart();
      if (token === markup.toolCall || text.startsWith("{") || text.startsWith("<")) list.push(token as Token);
    }
    openings = { list, set: new Set(list) };
    callOpeningCache.set(model, openings);
  }
  return openings;
}

/** Tokens in the model's vocabulary, as its GGUF file lists them. */
function vocabularySizeOf(model: LlamaModel): number {
  const metadata = model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly unknown[] } } };
  const size = metadata.tokenizer?.ggml?.tokens?.length;
  if (!size) throw new Error("The model's file lists no vocabulary (tokenizer.ggml.tokens).");
  return size;
}

/**
 * How strongly the model's first token starts a tool call: `<tool_call>`, a `{` or `<` token, or a
 * code fence followed by `json`. Also returns the call-starting tokens, which a text answer may not
 * begin with.
 */
export async function callLeaning(
  run: Pick<FormatRun, "loaded" | "sequence">,
  promptTokens: readonly Token[],
): Promise<CallLeaning> {
  const last = lastLeanings.get(run.sequence);
  if (last && sameTokens(last.tokens, promptTokens)) return last.leaning;
  const leaning = await readCallLeaning(run, promptTokens);
  lastLeanings.set(run.sequence, { tokens: [...promptTokens], leaning });
  return leaning;
}

/**
 * The last reading on each sequence: a request whose tool decision found no call reads the same prompt
 * again for its answer's forbidden first tokens (the same probabilities, ~110 ms to read again).
 */
const lastLeanings = new WeakMap<LlamaContextSequence, { tokens: readonly Token[]; leaning: CallLeaning }>();

function sameTokens(left: readonly Token[], right: readonly Token[]): boolean {
  return left.length === right.length && left.every((token, index) => token === right[index]);
}

interface CallLeaning {
  call: number;
  callTokens: Token[];
}

async function readCallLeaning(
  run: Pick<FormatRun, "loaded" | "sequence">,
  promptTokens: readonly Token[],
): Promise<CallLeaning> {
  const model = run.loaded.model;
  const probabilities = await nextTokenProbabilities(run.sequence, promptTokens);
  const openings = callOpenings(model).set;
  let call = 0;
  let covered = 0;
  const callTokens: Token[] = [];
  let fence: { token: Token; probability: number } | undefined;
  for (const [token, probability] of probabilities) {
    if (covered > 0.995) break;
    covered += probability;
    if (openings.has(token)) {
      call += probability;
      callTokens.push(token);
    } else if (!fence && model.detokenize([token], true).trimStart().startsWith("```")) {
      fence = { token, probability };
    }
  }
  if (fence && fence.probability > 0.02) {
    const afterFence = await nextTokenProbabilities(run.sequence, [...promptTokens, fence.token]);
    let json = 0;
    for (const [token, probability] of afterFence) {
      const text = model.detokenize([token], true).trimStart().toLowerCase();
      if (text.startsWith("json") || text.startsWith("{")) json += probability;
    }
    call += fence.probability * json;
    if (json > 0.5) callTokens.push(fence.token);
  }
  return { call, callTokens };
}

/**
 * Samples one call after `context` (which ends in `<tool_call>\n`) under a grammar from the tools'
 * schemas. When the tool is known, `{"name": "tool", "arguments": ` is written for the model, read in
 * one batch rather than decoded token by token, and only the arguments are sampled.
 */
async function sampleCall(
  run: FormatRun,
  context: readonly Token[],
  tool: ToolDefinition | undefined,
): Promise<{ call: z.infer<typeof callSchema> | undefined; tokens: Token[]; generated: number }> {
  const { request } = run;
  const model = run.loaded.model;
  const written = tool ? model.tokenize(`{"name": ${JSON.stringify(tool.name)}, "arguments": `) : [];
  const grammar = await run.grammar(tool ? buildToolArgumentsGrammar(tool) : buildToolCallObjectGrammar(request.tools));
  const generated: Token[] = [];
  const output = await run.completion.generateCompletion([...context, ...written], {
    grammar,
    maxTokens: tokensPerCall,
    temperature: 0,
    ...(request.signal ? { signal: request.signal } : {}),
    stopOnAbortSignal: true,
    onToken: (tokens) => generated.push(...tokens),
  });
  const text = tool ? `{"name": ${JSON.stringify(tool.name)}, "arguments": ${output}` : output;
  return { call: parseCall(text), tokens: [...written, ...generated], generated: generated.length };
}

function parseCall(output: string): z.infer<typeof callSchema> | undefined {
  try {
    const parsed = callSchema.safeParse(parseCallJson(output));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The offered tools named in `names`, in that order. */
function requiredTools(offered: readonly ToolDefinition[], names: readonly string[] | undefined): ToolDefinition[] {
  return (names ?? []).flatMap((name) => offered.find((tool) => tool.name === name) ?? []);
}

function withLastUserText(messages: readonly ChatMessage[], change: (text: string) => string): ChatMessage[] {
  const last = messages.findLastIndex((message) => message.role === "user");
  return messages.map((message, index) =>
    index === last && message.role === "user" ? { ...message, content: change(message.content) } : message,
  );
}

function lastUserText(messages: readonly ChatMessage[]): string {
  return messages.findLast((message) => message.role === "user")?.content ?? "";
}
