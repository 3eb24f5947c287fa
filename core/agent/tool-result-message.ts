import type { ChatMessage } from "../contracts/messages.ts";
import type { ToolCallRecord } from "../contracts/store.ts";

/**
 * What the model reads of a finished call: a result as JSON, a failure as one plain sentence naming
 * the service that could not answer and why. (Instructions such as "tell the user…, do not guess" are
 * left out: the 0.5B model repeated them as its answer. Failures of the service itself never reach
 * the model: the agent answers those itself, see service-failure-answer.ts.)
 */
export function toolResultMessage(record: ToolCallRecord, service: string | undefined): ChatMessage {
  return {
    role: "tool",
    callId: record.callId,
    name: record.name,
    isError: record.error !== undefined,
    content: record.error
      ? `Error: ${service ?? `the ${record.name} tool`} could not answer: ${record.error.message}`
      : JSON.stringify({ result: record.result }),
  };
}
