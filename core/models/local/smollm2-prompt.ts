import { LlamaText, SpecialTokensText } from "node-llama-cpp";
import type { ChatMessage } from "../../contracts/messages.ts";
import type { ToolDefinition } from "../../contracts/model.ts";

/**
 * Prompts in the ChatML format SmolLM2-Instruct uses, with its trained tool-calling convention:
 * tools as JSON inside <tools>…</tools>, calls as <tool_call>[…]</tool_call>, results inside
 * <tool_response>…</tool_response>.
 */
const toolSystemPrompt = (
  toolsJson: string,
) => `You are an expert in composing functions. You are given a question and a set of possible functions.
Based on the question, you will need to make one or more function/tool calls to achieve the purpose.
If none of the functions can be used, point it out and refuse to answer.
If the given question lacks the parameters required by the function, also point it out.

You have access to the following tools:
<tools>${toolsJson}</tools>

The output MUST strictly adhere to the following format, and NO other text MUST be included.
The example format is as follows. Please make sure the parameter type is correct. If no function call is needed, please make the tool calls an empty list '[]'.
<tool_call>[
{"name": "func_name1", "arguments": {"argument1": "value1", "argument2": "value2"}},
... (more tool calls as required)
]</tool_call>`;

/** A request no tool fits, shown to the model so that it learns `[]` is an answer too. */
const noToolExample = "Hi! How are you today?";
const maxExamples = 6;

function turn(role: string, content: string): LlamaText {
  return LlamaText([new SpecialTokensText(`<|im_start|>${role}\n`), content, new SpecialTokensText("<|im_end|>\n")]);
}

/** JSON on one line with a space after each `,` and `:`, the layout the model saw in training. */
export function compactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${JSON.stringify(key)}: ${compactJson(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function formatCalls(calls: readonly { name: string; arguments: Record<string, unknown> }[]): string {
  return `<tool_call>${compactJson(calls.map((call) => ({ name: call.name, arguments: call.arguments })))}</tool_call>`;
}

function renderConversation(messages: readonly ChatMessage[]): LlamaText[] {
  return messages.map((message) => {
    switch (message.role) {
      case "system":
      case "user":
        return turn(message.role, message.content);
      case "assistant":
        return turn(
          "assistant",
          message.toolCalls?.length ? `${message.content}${formatCalls(message.toolCalls)}` : message.content,
        );
      case "tool":
        return turn("user", `<tool_response>\n${message.content}\n</tool_response>`);
    }
  });
}

/** The prompt for deciding which tools to call; generation continues right after `<tool_call>`. */
export function renderToolDecisionPrompt(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
): LlamaText {
  const toolsJson = tools
    .map((tool) => JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.inputSchema }))
    .join("\n");
  const examples = tools.flatMap((tool) =>
    (tool.examples ?? []).slice(0, 1).map((example) => ({ tool: tool.name, example })),
  );
  const shots: LlamaText[] = [];
  for (const { tool, example } of examples.slice(0, maxExamples)) {
    shots.push(
      turn("user", example.request),
      turn("assistant", formatCalls([{ name: tool, arguments: example.arguments }])),
    );
  }
  if (shots.length > 0) shots.splice(2, 0, turn("user", noToolExample), turn("assistant", "<tool_call>[]</tool_call>"));
  const conversation = messages.filter((message) => message.role !== "system");
  return LlamaText([
    turn("system", toolSystemPrompt(toolsJson)),
    ...shots,
    ...renderConversation(conversation),
    new SpecialTokensText("<|im_start|>assistant\n"),
    "<tool_call>",
  ]);
}

/** The prompt for a plain text answer (after tools ran, or when none was needed). */
export function renderAnswerPrompt(messages: readonly ChatMessage[]): LlamaText {
  return LlamaText([...renderConversation(messages), new SpecialTokensText("<|im_start|>assistant\n")]);
}
