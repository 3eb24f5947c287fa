export interface RetryPolicy {
  /** Further attempts after the first, for retryable failures before any output (default 2). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `retry-after` longer than this is not waited for: the chain moves on (default 20 s). */
  maxRetryAfterMs?: number;
}

/** Exponential backoff with full jitter in [50%, 100%], or the server's retry-after when it gave one. */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= (policy.maxRetryAfterMs ?? 20_000) ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs ?? 4_000, (policy.baseDelayMs ?? 250) * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
