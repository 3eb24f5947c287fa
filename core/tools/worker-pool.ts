import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { ToolError } from "../contracts/errors.ts";
import type { Tool, ToolWorker, ToolWorkerContext } from "../contracts/tool.ts";

/** Heap a worker may use unless its tool says otherwise. */
export const defaultWorkerMemoryMb = 128;

/** Calls waiting for a worker beyond this are refused at once (TOOL_UNAVAILABLE) rather than queued. */
export const maxQueuedCalls = 64;

const workerFile = new URL("./tool-worker.mjs", import.meta.url).href;
/** One pool per memory limit (a worker's limits are fixed when it starts). */
const pools = new Map<number, Piscina>();

function poolFor(maxMemoryMb: number, module: string): Piscina {
  let pool = pools.get(maxMemoryMb);
  if (!pool) {
    pool = new Piscina({
      filename: workerFile,
      // One worker stays started, with the first tool's module loaded (a replacement for a worker that
      // was stopped loads it at once): starting a worker and loading mathjs takes 0.5–2 s.
      minThreads: 1,
      // A worker waiting for calls must keep its event loop turning: with piscina's default
      // (Atomics.wait), the preload's import stood still until the first call came, which then waited
      // ~2 s for tsx and mathjs (worker-pool.test.ts).
      atomics: "async",
      workerData: { preload: [module] },
      // Two, so that one runaway call (until its timeout) does not hold up everyone's; more only on
      // machines with cores to spare for them beside the model and the event loop.
      maxThreads: Math.max(2, availableParallelism() - 1),
      maxQueue: maxQueuedCalls,
      idleTimeout: 30_000,
      resourceLimits: {
        maxOldGenerationSizeMb: maxMemoryMb,
        maxYoungGenerationSizeMb: Math.min(32, maxMemoryMb),
        stackSizeMb: 4,
      },
    });
    pools.set(maxMemoryMb, pool);
  }
  return pool;
}

/**
 * Runs a CPU-bound tool's work in a worker thread of a shared pool. Aborting `signal` (the call's
 * timeout, the turn's cancellation) terminates the worker if the call is running, so a runaway
 * expression costs one worker and never blocks the server; a worker that exceeds its heap dies alone.
 */
export async function runInWorker(
  tool: Pick<Tool, "name"> & { worker: ToolWorker },
  input: unknown,
  context: ToolWorkerContext,
  signal: AbortSignal,
): Promise<unknown> {
  const maxMemoryMb = tool.worker.maxMemoryMb ?? defaultWorkerMemoryMb;
  try {
    return await poolFor(maxMemoryMb, String(tool.worker.module)).run(
      { module: String(tool.worker.module), exportName: tool.worker.exportName, input, context },
      { signal },
    );
  } catch (error) {
    if (signal.aborted) throw error;
    const code = (error as { code?: string } | undefined)?.code;
    if (error instanceof Error && /queue is at limit/i.test(error.message))
      throw new ToolError("TOOL_UNAVAILABLE", `${tool.name} is busy with other calls; try again shortly.`);
    if (code === "ERR_WORKER_OUT_OF_MEMORY")
      throw new ToolError("TOOL_FAILED", `${tool.name} needed more than ${maxMemoryMb} MB and was stopped.`);
    throw error;
  }
}

/**
 * Starts the workers of the given tools now, with their modules loaded, so that the first call does not
 * wait for them (the server and the CLI call this at start; tests and one-off callers need not).
 */
export function startToolWorkers(tools: readonly Tool[]): void {
  for (const tool of tools)
    if (tool.worker) poolFor(tool.worker.maxMemoryMb ?? defaultWorkerMemoryMb, String(tool.worker.module));
}

/** Stops every worker (for a graceful shutdown and at the end of tests). */
export async function closeWorkerPools(): Promise<void> {
  const closing = [...pools.values()].map((pool) => pool.close({ force: true }));
  pools.clear();
  await Promise.allSettled(closing);
}
