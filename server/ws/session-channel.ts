import type { WebSocket } from "ws";
import type { ServerFrame } from "../protocol.ts";

/**
 * Per-session outbound stream: numbers frames, keeps the last ones for resuming clients, and sends
 * each frame to every socket open on the session.
 */
export class SessionChannel {
  readonly sessionId: string;
  readonly sockets = new Set<WebSocket>();
  readonly turns = new Map<string, AbortController>();
  #seq = 0;
  readonly #recent: ServerFrame[] = [];
  readonly #replayLimit: number;
  lastActivity = Date.now();

  constructor(sessionId: string, replayLimit: number) {
    this.sessionId = sessionId;
    this.#replayLimit = replayLimit;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  publish(frame: ServerFrame): void {
    this.lastActivity = Date.now();
    this.#recent.push(frame);
    if (this.#recent.length > this.#replayLimit) this.#recent.splice(0, this.#recent.length - this.#replayLimit);
    const data = JSON.stringify(frame);
    for (const socket of this.sockets) if (socket.readyState === socket.OPEN) socket.send(data);
  }

  /** Frames after `lastSeenSeq` still held; `complete` is false when older ones were already dropped. */
  framesAfter(lastSeenSeq: number): { frames: ServerFrame[]; complete: boolean } {
    const frames = this.#recent.filter((frame) => frame.seq > lastSeenSeq);
    const oldest = this.#recent[0]?.seq ?? this.#seq + 1;
    return { frames, complete: lastSeenSeq + 1 >= oldest || lastSeenSeq >= this.#seq };
  }

  get idle(): boolean {
    return this.sockets.size === 0 && this.turns.size === 0;
  }
}
