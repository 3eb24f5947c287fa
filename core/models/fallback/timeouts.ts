import { ProviderError } from "../../contracts/errors.ts";
import type { ModelProvider, ModelRequest, ModelStreamEvent } from "../../contracts/model.ts";

export interface StreamTimeouts {
  /** From the request to the first event (covers connecting; default 30 s). */
  firstTokenMs?: number;
  /** Longest silence between two events once streaming (default 30 s). */
  idleMs?: number;
  /** The whole response (default 120 s). */
  totalMs?: number;
}

/**
 * Streams from a provider under three deadlines. When one passes, the provider's request is aborted
 * through its signal and the stream fails with a retryable PROVIDER_TIMEOUT.
 */
export async function* streamWithTimeouts(
  provider: ModelProvider,
  request: ModelRequest,
  timeouts: StreamTimeouts,
): AsyncGenerator<ModelStreamEvent> {
  const controller = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  let expired: string | undefined;
  const expire = (which: string) => () => {
    expired = which;
    controller.abort();
  };
  const total = setTimeout(
    expire(`no complete answer within ${timeouts.totalMs ?? 120_000} ms`),
    timeouts.totalMs ?? 120_000,
  );
  let idle = setTimeout(
    expire(`no first token within ${timeouts.firstTokenMs ?? 30_000} ms`),
    timeouts.firstTokenMs ?? 30_000,
  );
  const iterator = provider.stream({ ...request, signal })[Symbol.asyncIterator]();
  // One abort promise for the whole stream: a listener per chunk would pile up on long answers.
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      let next: IteratorResult<ModelStreamEvent>;
      try {
        next = await Promise.race([iterator.next(), aborted]);
      } catch (error) {
        if (expired && !request.signal?.aborted)
          throw new ProviderError("PROVIDER_TIMEOUT", `${provider.id}: ${expired}.`, { cause: error });
        throw error;
      }
      if (next.done) return;
      clearTimeout(idle);
      idle = setTimeout(expire(`silent for more than ${timeouts.idleMs ?? 30_000} ms`), timeouts.idleMs ?? 30_000);
      yield next.value;
    }
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
    void iterator.return?.(undefined);
  }
}
