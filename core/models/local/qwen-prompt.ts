import { LlamaText, SpecialTokensText } from "node-llama-cpp";
import type { ChatMessage, ToolCallRequest } from "../../contracts/messages.ts";
import type { ToolDefinition } from "../../contracts/model.ts";
import { compactJson } from "./smollm2-prompt.ts";

/**
 * Qwen2.5-Instruct's chat template (the `tokenizer.chat_template` in its GGUF), rebuilt as LlamaText:
 * only the turn delimiters `<|im_start|>` and `<|im_end|>` are special-token text, so a user who types
 * `<|im_end|>` cannot close a turn; everything between them is one plain string, tokenized as the
 * template's rendering is (punctuation and newlines merge across markup and content). Tools are listed as JSON lines inside `<tools>…</tools>`
 * in the system turn, calls are `<tool_call>\n{"name": …, "arguments": …}\n</tool_call>`, and tool
 * results go back in a user turn as `<tool_response>` blocks. qwen-prompt.test.ts checks that this
 * yields the same tokens as the template itself.
 */
export const qwenDefaultSystemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

const toolsPreamble =
  "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
  "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
const toolsPostamble =
  "\n</tools>\n\nFor each function call, return a json object with function name and arguments within " +
  '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>';

const imStart = new SpecialTokensText("<|im_start|>");
const imEnd = new SpecialTokensText("<|im_end|>");

/** One tool as the template's `tool | tojson` prints it (the OpenAI function shape). */
export function qwenToolJson(tool: ToolDefinition): string {
  return compactJson({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  });
}

/** One call as the template prints it, without the `<tool_call>` tags around it. */
export function qwenCallJson(call: Pick<ToolCallRequest, "name" | "arguments">): string {
  return `{"name": ${JSON.stringify(call.name)}, "arguments": ${compactJson(call.arguments)}}`;
}

function systemTurn(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): LlamaText {
  const first = messages[0];
  const system = first?.role === "system" ? first.content : qwenDefaultSystemPrompt;
  const toolsBlock =
    tools.length === 0
      ? ""
      : `${toolsPreamble}${tools.map((tool) => `\n${qwenToolJson(tool)}`).join("")}${toolsPostamble}`;
  return LlamaText([imStart, "system\n", system, toolsBlock, imEnd, "\n"]);
}

function assistantTurn(content: string, calls: readonly ToolCallRequest[]): LlamaText {
  if (calls.length === 0) return LlamaText([imStart, "assistant\n", content, imEnd, "\n"]);
  return LlamaText([
    imStart,
    "assistant",
    content ? `\n${content}` : "",
    ...calls.map((call) => `\n<tool_call>\n${qwenCallJson(call)}\n</tool_call>`),
    imEnd,
    "\n",
  ]);
}

/**
 * The whole conversation, ending with the opening of the assistant's turn. Consecutive tool results
 * share one user turn, as in the template.
 */
export function renderQwenPrompt(messages: readonly ChatMessage[], tools: readonly ToolDefinition[]): LlamaText {
  const parts: LlamaText[] = [systemTurn(messages, tools)];
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const next = messages[index + 1];
    switch (message.role) {
      case "system":
        if (index > 0) parts.push(LlamaText([imStart, "system\n", message.content, imEnd, "\n"]));
        return;
      case "user":
        parts.push(LlamaText([imStart, "user\n", message.content, imEnd, "\n"]));
        return;
      case "assistant":
        parts.push(assistantTurn(message.content, message.toolCalls ?? []));
        return;
      case "tool":
        parts.push(
          LlamaText([
            previous?.role === "tool" ? "" : LlamaText([imStart, "user"]),
            "\n<tool_response>\n",
            message.content,
            "\n</tool_response>",
            next?.role === "tool" ? "" : LlamaText([imEnd, "\n"]),
          ]),
        );
        return;
    }
  });
  parts.push(LlamaText([imStart, "assistant\n"]));
  return LlamaText(parts);
}
