import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ToolCallRequest } from "../../contracts/messages.ts";
import type { AnswerPrompt, ChatFormat, FormatRun, ToolDecision } from "./chat-format.ts";
import { buildToolCallGrammar } from "./json-schema-grammar.ts";
import { renderAnswerPrompt, renderToolDecisionPrompt } from "./smollm2-prompt.ts";

const toolCallListSchema = z.array(z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }));
const decisionTokens = 256;

/**
 * SmolLM2-Instruct's trained convention (also used for any plain ChatML model): the decision prompt
 * ends in `<tool_call>` and the model writes a JSON list of calls under a grammar compiled from the
 * tools' schemas, `[]` meaning no call (not offered when a call is required). Text answers see the conversation without the tool list.
 */
export const smollm2Format: ChatFormat = {
  name: "smollm2",

  decisionPrompt: renderToolDecisionPrompt,

  async decideToolCalls(run: FormatRun): Promise<ToolDecision> {
    const { request } = run;
    const prompt = await run.preparePrompt(
      (messages) => smollm2Format.decisionPrompt(messages, request.tools),
      decisionTokens,
    );
    // A required call: the grammar leaves out the empty list, the no-call option.
    const grammar = await run.grammar(
      buildToolCallGrammar(request.tools, { required: request.toolChoice === "required" }),
    );
    let outputTokens = 0;
    const output = await run.completion.generateCompletion(prompt.tokens, {
      grammar,
      maxTokens: decisionTokens,
      temperature: 0,
      ...(request.signal ? { signal: request.signal } : {}),
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        outputTokens += tokens.length;
      },
    });
    const seen = new Set<string>();
    const calls: ToolCallRequest[] = [];
    for (const call of parseCallList(output)) {
      const key = JSON.stringify(call);
      if (seen.has(key)) continue; // small models repeat a call; once is enough
      seen.add(key);
      calls.push({ callId: `call_${randomUUID().slice(0, 8)}`, name: call.name, arguments: call.arguments });
    }
    return { calls, usage: { inputTokens: prompt.tokens.length, outputTokens } };
  },

  async answerPrompt(run: FormatRun, maxOutputTokens: number): Promise<AnswerPrompt> {
    return await run.preparePrompt(renderAnswerPrompt, maxOutputTokens);
  },
};

/**
 * Parses the grammar-constrained call list. When generation stopped early (token limit, abort), the
 * calls completed before the cut are kept: the grammar writes `}, {"name": ` only between calls.
 */
export function parseCallList(output: string): z.infer<typeof toolCallListSchema> {
  const attempt = (text: string) => {
    try {
      const parsed = toolCallListSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const whole = attempt(output);
  if (whole) return whole;
  const boundary = output.lastIndexOf('}, {"name": ');
  return boundary > 0 ? (attempt(`${output.slice(0, boundary + 1)}]`) ?? []) : [];
}
