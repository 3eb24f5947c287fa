import type { Logger, SessionStore } from "realtime-agent";

export interface RetentionOptions {
  /** Sessions unused this long are deleted. */
  retentionMs: number;
  /** How often the job runs (default hourly). */
  intervalMs?: number;
  /** Sessions deleted per batch (default 1,000): a run deletes batches until one comes back short. */
  batchSize?: number;
  /** Told of each batch's session ids, so that the server forgets them too. */
  onDeleted?: (sessionKeys: string[]) => void;
  logger: Logger;
}

/** Deletes sessions past their retention, once now and then every `intervalMs`. Returns the stop function. */
export function startRetentionJob(store: SessionStore, options: RetentionOptions): () => void {
  const batchSize = options.batchSize ?? 1_000;
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      const cutoff = new Date(Date.now() - options.retentionMs);
      let deleted = 0;
      try {
        for (;;) {
          const batch = await store.deleteIdleSince(cutoff, batchSize);
          deleted += batch.length;
          if (batch.length) options.onDeleted?.(batch);
          if (batch.length < batchSize) break;
        }
        if (deleted) options.logger.info("retention: sessions deleted", { deleted, unusedSince: cutoff.toISOString() });
      } catch (error) {
        options.logger.warn("retention: cleanup failed; tried again next time", {
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  void run();
  const timer = setInterval(run, options.intervalMs ?? 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
