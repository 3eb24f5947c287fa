/** Serializes turns per session: a session's second message waits for its first to finish. */
export class SessionQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Whether a turn of the session is running or waiting. */
  busy(sessionId: string): boolean {
    return this.#tails.has(sessionId);
  }

  async acquire(sessionId: string): Promise<() => void> {
    const previous = this.#tails.get(sessionId) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(sessionId, tail);
    await previous;
    return () => {
      release();
      if (this.#tails.get(sessionId) === tail) this.#tails.delete(sessionId);
    };
  }
}
