// Work for worker-pool.test.ts, run in a worker thread.

/** Echoes the input and the context a worker-run tool receives. */
export function echo(input: unknown, context: unknown): { input: unknown; context: unknown } {
  return { input, context };
}

/** Never returns: only terminating the worker stops it. */
export function spin(): never {
  for (;;) {
    // busy
  }
}
