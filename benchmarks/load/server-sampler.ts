/** Polls a server's /metrics for resident memory and event-loop lag while a load runs. */
export interface ServerSample {
  at_ms: number;
  rss_mib: number;
  event_loop_lag_ms: number;
  event_loop_lag_p99_ms: number;
  /** CPU seconds the server process has used since it started (user + system). */
  cpu_s: number;
}

function gauge(text: string, name: string): number {
  const match = new RegExp(`^${name} ([0-9.eE+-]+)`, "m").exec(text);
  return match ? Number.parseFloat(match[1]!) : Number.NaN;
}

export class ServerSampler {
  readonly samples: ServerSample[] = [];
  readonly #url: string;
  readonly #started = performance.now();
  #timer: NodeJS.Timeout | undefined;
  #poll: () => Promise<void> = async () => {};

  constructor(httpBase: string) {
    this.#url = `${httpBase}/metrics`;
  }

  /** Every second by default: rendering /metrics costs the server ~2% of its time at 4 polls a second. */
  start(intervalMs = 1_000): void {
    this.#poll = async () => {
      try {
        const text = await (await fetch(this.#url, { signal: AbortSignal.timeout(2_000) })).text();
        this.samples.push({
          at_ms: Math.round(performance.now() - this.#started),
          rss_mib: gauge(text, "process_resident_memory_bytes") / 2 ** 20,
          event_loop_lag_ms: gauge(text, "nodejs_eventloop_lag_seconds") * 1000,
          event_loop_lag_p99_ms: gauge(text, "nodejs_eventloop_lag_p99_seconds") * 1000,
          cpu_s: gauge(text, "process_cpu_seconds_total"),
        });
      } catch {
        // A missed sample under heavy load is itself information; the gap shows in at_ms.
      }
    };
    void this.#poll();
    this.#timer = setInterval(() => void this.#poll(), intervalMs);
  }

  /** Stops after one last sample, so that the CPU the server used during the run is known. */
  async stop(): Promise<ServerSample[]> {
    clearInterval(this.#timer);
    await this.#poll();
    return this.samples;
  }
}
