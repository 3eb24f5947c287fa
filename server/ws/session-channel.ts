import type { WebSocket } from "ws";
import { errorCodes } from "realtime-agent";
import type { ServerFrameEnvelope } from "realtime-agent/client";

/**
 * Frames published in the same turn of the event loop leave in one write: the TCP socket under each
 * WebSocket is corked at the first frame and uncorked once the current callbacks and promise jobs
 * have run. `ws` writes every frame with its own syscall otherwise, which was 60% of the server's
 * busy time under load. `_socket` is ws's underlying net.Socket; it has no public accessor.
 */
const corked = new Set<{ uncork(): void }>();
let uncorkScheduled = false;

function corkUntilIdle(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: { cork?: () => void; uncork(): void } })._socket;
  if (!raw?.cork || corked.has(raw)) return;
  raw.cork();
  corked.add(raw);
  if (!uncorkScheduled) {
    uncorkScheduled = true;
    setImmediate(() => {
      uncorkScheduled = false;
      for (const stream of corked) stream.uncork();
      corked.clear();
    });
  }
}

/**
 * Per-session outbound stream: numbers frames, keeps the last ones for resuming clients, and sends
 * each frame to every socket open on the session.
 */
export class SessionChannel {
  /** The session's name as its client knows it (frames carry it). */
  readonly sessionId: string;
  /** The agent's session id: the name within its owner's space. */
  readonly key: string;
  /** Who the session belongs to (stored with it). */
  owner: string | undefined;
  readonly sockets = new Set<WebSocket>();
  readonly turns = new Map<string, AbortController>();
  #seq = 0;
  /** Recent frames, already serialized: strings cost far less memory than the frame objects. */
  readonly #recent: { seq: number; data: string }[] = [];
  #recentBytes = 0;
  readonly #replayLimit: number;
  readonly #replayBytes: number;
  readonly #maxBufferedBytes: number;
  #orphanTimer: NodeJS.Timeout | undefined;
  lastActivity = Date.now();
  /** The admission of the last message received (rate check), so that messages start in order. */
  admission: Promise<void> = Promise.resolve();

  constructor(
    sessionId: string,
    key: string,
    replayLimit: number,
    maxBufferedBytes = 4 * 1024 * 1024,
    replayBytes = 512 * 1024,
  ) {
    this.sessionId = sessionId;
    this.key = key;
    this.#replayLimit = replayLimit;
    this.#replayBytes = replayBytes;
    this.#maxBufferedBytes = maxBufferedBytes;
  }

  /** Cancels the running turns in `delayMs` unless a socket opens on the session before. */
  cancelTurnsAfter(delayMs: number): void {
    if (this.turns.size === 0) return;
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = setTimeout(() => {
      if (this.sockets.size === 0) for (const controller of this.turns.values()) controller.abort();
    }, delayMs).unref();
  }

  /** A socket opened: turns waiting to be cancelled carry on. */
  keepTurns(): void {
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = undefined;
  }

  nextSeq(): number {
    return ++this.#seq;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  publish(frame: ServerFrameEnvelope): void {
    this.lastActivity = Date.now();
    const data = JSON.stringify(frame);
    this.#recent.push({ seq: frame.seq, data });
    this.#recentBytes += data.length;
    while (
      this.#recent.length > 1 &&
      (this.#recent.length > this.#replayLimit || this.#recentBytes > this.#replayBytes)
    )
      this.#recentBytes -= this.#recent.shift()!.data.length;
    for (const socket of this.sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      // A client that does not read would make the server hold its frames without end: it is closed,
      // and gets what it missed by resuming with ?last_seq=N.
      if (socket.bufferedAmount > this.#maxBufferedBytes) {
        socket.close(errorCodes.CONNECTION_TOO_SLOW.webSocketCloseCode, "reading too slowly");
        setTimeout(() => socket.terminate(), 1_000).unref();
        continue;
      }
      corkUntilIdle(socket);
      socket.send(data);
    }
  }

  /** Serialized frames after `lastSeenSeq` still held; `complete` is false when older ones were already dropped. */
  framesAfter(lastSeenSeq: number): { frames: string[]; complete: boolean } {
    const frames = this.#recent.filter((frame) => frame.seq > lastSeenSeq).map((frame) => frame.data);
    const oldest = this.#recent[0]?.seq ?? this.#seq + 1;
    return { frames, complete: lastSeenSeq + 1 >= oldest || lastSeenSeq >= this.#seq };
  }

  get idle(): boolean {
    return this.sockets.size === 0 && this.turns.size === 0;
  }
}
