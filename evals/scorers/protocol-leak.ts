/**
 * Protocol text a user must never see in an answer: tool-calling markup of any chat format, chat
 * template tokens, and the JSON shapes tool calls and tool results travel in.
 */
const leakPatterns: [string, RegExp][] = [
  ["tool_call tag", /<\/?tool_call>/i],
  ["tool_response tag", /<\/?tool_response>/i],
  ["tools tag", /<\/?tools>/i],
  ["chat template token", /<\|[a-z_]+\|>/i],
  ["function-call JSON", /\{\s*"name"\s*:\s*"[^"]*"\s*,\s*"(arguments|parameters)"\s*:/],
  ["tool-result JSON", /\{\s*"(result|error)"\s*:\s*[{["\d-]/],
];

/** The names of the kinds of protocol text found in an answer (empty when it is clean). */
export function protocolLeaks(answer: string): string[] {
  return leakPatterns.filter(([, pattern]) => pattern.test(answer)).map(([name]) => name);
}
