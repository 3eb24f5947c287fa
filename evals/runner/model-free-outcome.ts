/**
 * The outcome fields of a case that asks the chat model nothing (the cache, the router, the judge
 * alone): no first token, no tokens, no tool calls; its time since `started` (performance.now()).
 */
export function modelFreeOutcome(started: number) {
  return {
    time_to_first_token_ms: null,
    total_ms: performance.now() - started,
    usage: { input_tokens: 0, output_tokens: 0 },
    tool_calls: [],
  };
}
