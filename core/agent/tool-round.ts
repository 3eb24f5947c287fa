import type { AgentEvent } from "../contracts/events.ts";
import type { ChatMessage, ToolCallRequest } from "../contracts/messages.ts";
import type { ToolCallRecord } from "../contracts/store.ts";
import { executeToolCalls, type ExecuteToolOptions } from "../tools/executor.ts";
import { toolResultMessage } from "./tool-result-message.ts";
import type { TurnProgress } from "./turn-progress.ts";
import type { GuardDecision } from "../safety/safety-guard.ts";
import { withheldToolResult } from "../safety/refusals.ts";

/**
 * Runs one round of tool calls concurrently, yielding a `tool-result` event as each one finishes.
 * Records the calls and the time spent in the turn's progress, and returns the tool messages for the
 * model, in the order it asked for the calls. With a result check (the safety layer's injection
 * guard), a result that carries instructions for the model is withheld from it.
 */
export async function* runToolRound(
  calls: readonly ToolCallRequest[],
  options: ExecuteToolOptions,
  turn: TurnProgress,
  checkResult?: (text: string) => Promise<GuardDecision>,
): AsyncGenerator<AgentEvent, ChatMessage[]> {
  const started = performance.now();
  const records = new Map<string, ToolCallRecord>();
  const withheld = new Set<string>();
  try {
    for await (const outcome of executeToolCalls(calls, options)) {
      const call = calls.find((candidate) => candidate.callId === outcome.callId);
      const record: ToolCallRecord = { callId: outcome.callId, name: outcome.name, arguments: call?.arguments ?? {} };
      if (outcome.ok) {
        record.result = outcome.result;
        yield {
          type: "tool-result",
          turnId: turn.turnId,
          callId: outcome.callId,
          name: outcome.name,
          result: outcome.result,
          durationMs: outcome.durationMs,
        };
        if (checkResult) {
          const decision = await checkResult(JSON.stringify(outcome.result ?? null));
          yield { type: "guard", turnId: turn.turnId, callId: outcome.callId, ...decision };
          if (decision.action === "block") withheld.add(outcome.callId);
        }
      } else {
        record.error = { code: outcome.error.code, message: outcome.error.message };
        yield {
          type: "tool-result",
          turnId: turn.turnId,
          callId: outcome.callId,
          name: outcome.name,
          durationMs: outcome.durationMs,
          error: { code: outcome.error.code, message: outcome.error.message, retryable: outcome.error.retryable },
        };
      }
      records.set(outcome.callId, record);
    }
  } finally {
    turn.timer.add("tools", performance.now() - started);
  }
  const ordered = calls.flatMap((call) => records.get(call.callId) ?? []);
  turn.toolCalls.push(...ordered);
  return ordered.map((record) =>
    withheld.has(record.callId)
      ? {
          role: "tool",
          callId: record.callId,
          name: record.name,
          isError: true,
          content: withheldToolResult(record.name),
        }
      : toolResultMessage(record, options.registry.get(record.name)?.tool.service),
  );
}
