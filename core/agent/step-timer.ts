import type { TurnStep, TurnTimings } from "../contracts/events.ts";

/** Accumulates wall time per turn-loop step, and the time to the first streamed token. */
export class StepTimer {
  readonly #startedAt = performance.now();
  readonly #steps: Record<TurnStep, number> = { loadContext: 0, inputGuard: 0, model: 0, tools: 0, store: 0 };
  #firstTokenAt: number | undefined;

  async time<T>(step: TurnStep, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#steps[step] += performance.now() - started;
    }
  }

  add(step: TurnStep, milliseconds: number): void {
    this.#steps[step] += milliseconds;
  }

  markFirstToken(): void {
    this.#firstTokenAt ??= performance.now();
  }

  finish(): TurnTimings {
    return {
      timeToFirstTokenMs: this.#firstTokenAt === undefined ? undefined : round(this.#firstTokenAt - this.#startedAt),
      totalMs: round(performance.now() - this.#startedAt),
      steps: Object.fromEntries(Object.entries(this.#steps).map(([step, ms]) => [step, round(ms)])) as Record<
        TurnStep,
        number
      >,
    };
  }
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}
