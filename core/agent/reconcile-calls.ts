import type { ToolCallRequest } from "../contracts/messages.ts";
import type { Logger } from "../contracts/logger.ts";
import type { ReconcileContext } from "../contracts/tool.ts";
import type { ToolRegistry } from "../tools/registry.ts";

/**
 * The model's calls squared with what the user wrote, by each tool's own `reconcile` (a tool without
 * one keeps its calls as written). Calls a tool finds no ground for are returned apart, to be dropped.
 * A `reconcile` that throws leaves its call unchanged: a tool's helper never costs the user the turn.
 */
export function reconcileCalls(
  calls: readonly ToolCallRequest[],
  registry: Pick<ToolRegistry, "get">,
  context: ReconcileContext,
  logger: Logger,
): { kept: ToolCallRequest[]; dropped: ToolCallRequest[] } {
  const kept: ToolCallRequest[] = [];
  const dropped: ToolCallRequest[] = [];
  for (const call of calls) {
    const reconcile = registry.get(call.name)?.tool.reconcile;
    if (!reconcile) {
      kept.push(call);
      continue;
    }
    let reconciled: Record<string, unknown> | null;
    try {
      reconciled = reconcile(call.arguments, context);
    } catch (error) {
      logger.warn("tool reconcile failed; the call is kept as the model wrote it", {
        tool: call.name,
        error: error instanceof Error ? error.message : String(error),
      });
      reconciled = call.arguments;
    }
    if (reconciled === null) {
      logger.debug("call dropped: the conversation gives it no ground", { tool: call.name });
      dropped.push(call);
    } else {
      kept.push(reconciled === call.arguments ? call : { ...call, arguments: reconciled });
    }
  }
  return { kept, dropped };
}
