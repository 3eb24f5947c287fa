import { cpus } from "node:os";

/** CPU time spent so far: by the whole machine (all cores) and by this process, in milliseconds. */
export interface CpuSample {
  busyMs: number;
  ownMs: number;
  atMs: number;
}

export function sampleCpu(): CpuSample {
  let busyMs = 0;
  for (const { times } of cpus()) busyMs += times.user + times.nice + times.sys + times.irq;
  const own = process.cpuUsage();
  return { busyMs, ownMs: (own.user + own.system) / 1000, atMs: performance.now() };
}

/** Cores kept busy by other processes between two samples (this process's own time left out). */
export function neighbourCores(before: CpuSample, after: CpuSample): number {
  const elapsed = after.atMs - before.atMs;
  if (elapsed <= 0) return 0;
  const others = after.busyMs - before.busyMs - (after.ownMs - before.ownMs);
  return Math.max(0, others / elapsed);
}

/**
 * Threads for the next decode: one per core that no other process is using, at least one, at most
 * `maxThreads`. A neighbour using a quarter of a core or more takes its core: llama.cpp's threads
 * spin-wait for each other, and a thread that shares its core with a busy process slows every token.
 */
export function threadsFor(neighbours: number, maxThreads: number, cores: number): number {
  const freeCores = Math.floor(cores - neighbours + 0.25);
  return Math.max(1, Math.min(maxThreads, freeCores));
}

/**
 * Adapts a llama.cpp instance's thread budget to the machine while the model is loaded: every
 * `intervalMs` it reads how busy other processes kept the cores and sets `maxThreads`, which
 * node-llama-cpp applies from the next decoded batch (a token while streaming). Two threads on two
 * idle cores decode faster than one; when a neighbour starts, the next batches drop to one thread
 * instead of collapsing (benchmarks/reports/local-model-threads.md). The timer keeps no process alive.
 */
export function startThreadGovernor(
  target: { maxThreads: number },
  options: { maxThreads: number; intervalMs?: number; cores?: number; sample?: () => CpuSample },
): { update(): void; stop(): void } {
  const sample = options.sample ?? sampleCpu;
  const cores = options.cores ?? cpus().length;
  let previous = sample();
  target.maxThreads = 1;
  const update = () => {
    const current = sample();
    target.maxThreads = threadsFor(neighbourCores(previous, current), options.maxThreads, cores);
    previous = current;
  };
  const timer = setInterval(update, options.intervalMs ?? 250);
  timer.unref();
  return { update, stop: () => clearInterval(timer) };
}
