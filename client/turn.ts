import type { RealtimeClientError } from "./client-error.ts";
import { isTurnEnd, type ServerFrame, type TurnEndFrame } from "./server-frames.ts";

export interface TurnControl {
  turn: Turn;
  /** Adds a frame of the turn: a turn_start gives it its id, a terminal frame ends it. */
  receive(frame: ServerFrame): void;
  /** Ends the turn without a terminal frame: iterators throw `error` (or just stop, when `quietly`). */
  fail(error: RealtimeClientError, options?: { quietly?: boolean }): void;
}

/**
 * One user message and the frames of the turn it started, from `turn_start` to its
 * `agent_response_complete` or `error`. Iterate it (more than once if you like: each iteration starts
 * at the first frame) or await `done` for the last frame.
 */
export class Turn implements AsyncIterable<ServerFrame> {
  readonly text: string;
  /** Resolves with the turn's last frame; rejects with a RealtimeClientError if the turn cannot end. */
  readonly done: Promise<TurnEndFrame>;
  readonly #frames: ServerFrame[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #requestCancel: (turn: Turn) => void;
  #turnId: string | undefined;
  #ended = false;
  #failure: RealtimeClientError | undefined;
  #resolveDone!: (frame: TurnEndFrame) => void;
  #rejectDone!: (error: RealtimeClientError) => void;

  private constructor(text: string, requestCancel: (turn: Turn) => void) {
    this.text = text;
    this.#requestCancel = requestCancel;
    this.done = new Promise<TurnEndFrame>((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    // A caller who only iterates must not get an unhandled rejection from `done`.
    this.done.catch(() => undefined);
  }

  /** The server's id for this turn, once its `turn_start` has arrived. */
  get turnId(): string | undefined {
    return this.#turnId;
  }

  /** The frames received so far. */
  get frames(): readonly ServerFrame[] {
    return this.#frames;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Asks the server to stop this turn: it then ends with an `agent_response_complete` whose outcome is
   * `aborted`. A message not sent yet is not sent at all; its turn ends with no frames and `done` rejects
   * with TURN_NOT_SENT.
   */
  cancel(): void {
    if (!this.#ended) this.#requestCancel(this);
  }

  /** For RealtimeClient: a new turn, and the means to feed it frames or end it. */
  static open(text: string, requestCancel: (turn: Turn) => void): TurnControl {
    const turn = new Turn(text, requestCancel);
    return {
      turn,
      receive: (frame) => turn.#receive(frame),
      fail: (error, options) => turn.#fail(error, options),
    };
  }

  #receive(frame: ServerFrame): void {
    if (this.#ended) return;
    if (frame.type === "turn_start") this.#turnId = frame.content.turn_id;
    this.#frames.push(frame);
    if (isTurnEnd(frame)) {
      this.#ended = true;
      this.#resolveDone(frame);
    }
    this.#wake();
  }

  #fail(error: RealtimeClientError, options: { quietly?: boolean } = {}): void {
    if (this.#ended) return;
    this.#ended = true;
    if (!options.quietly) this.#failure = error;
    this.#rejectDone(error);
    this.#wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ServerFrame> {
    let index = 0;
    for (;;) {
      if (index < this.#frames.length) {
        yield this.#frames[index++]!;
        continue;
      }
      if (this.#ended) {
        if (this.#failure) throw this.#failure;
        return;
      }
      await new Promise<void>((resolve) => this.#wakers.add(resolve));
    }
  }

  #wake(): void {
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
  }
}
