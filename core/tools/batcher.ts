import type { Tool, ToolContext } from "../contracts/tool.ts";

interface Pending {
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const queues = new WeakMap<Tool, { pending: Pending[]; timer: NodeJS.Timeout | undefined }>();

/**
 * Collects calls to a batching tool for its window, then runs them with one `executeBatch`. The batch
 * runs under the first caller's context; each caller's own signal still ends its wait.
 */
export function enqueueBatched(tool: Tool, input: unknown, context: ToolContext): Promise<unknown> {
  let queue = queues.get(tool);
  if (!queue) {
    queue = { pending: [], timer: undefined };
    queues.set(tool, queue);
  }
  const entry = queue;
  return new Promise((resolve, reject) => {
    entry.pending.push({ input, resolve, reject });
    if (entry.timer) return;
    entry.timer = setTimeout(() => {
      const batch = entry.pending.splice(0);
      entry.timer = undefined;
      Promise.resolve()
        .then(() =>
          tool.executeBatch!(
            batch.map((item) => item.input),
            context,
          ),
        )
        .then((outputs) => {
          if (outputs.length !== batch.length)
            throw new Error(`${tool.name}.executeBatch returned ${outputs.length} results for ${batch.length} inputs.`);
          batch.forEach((item, index) => item.resolve(outputs[index]));
        })
        .catch((error: unknown) => {
          for (const item of batch) item.reject(error);
        });
    }, tool.batchWindowMs ?? 100);
  });
}
