// The worker side of the tool pool (worker-pool.ts): runs one CPU-bound tool call off the server's
// event loop. Plain JavaScript so it starts in any worker; TypeScript modules load through tsx, as
// everywhere in this project (no build step).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const modules = new Map();
// Modules the pool asks to have ready before the first call (loaded now, awaited by that call).
for (const module of workerData?.preload ?? []) {
  const loading = import(module);
  loading.catch(() => modules.delete(module));
  modules.set(module, loading);
}

/** Calls `exportName` of `module` with the parsed input and the call's plain context. */
export default async function runToolCall({ module, exportName, input, context }) {
  let loading = modules.get(module);
  if (!loading) {
    loading = import(module);
    modules.set(module, loading);
  }
  const run = (await loading)[exportName];
  if (typeof run !== "function") throw new Error(`${module} exports no function named ${exportName}.`);
  return await run(input, context);
}
