import type { WebSocket } from "ws";
import { errorCodes, userCancellation } from "realtime-agent";
import type { FrameBuilder, SessionBus, SessionLog } from "./session-bus.ts";

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
 * One session as this instance sees it: the sockets open on it here, the turns running here, and its
 * frame log (numbered, kept for resuming clients; shared with other instances when the bus is).
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
  /** Resolves once the log is open; frames published meanwhile wait for it. */
  readonly ready: Promise<void>;
  #log: SessionLog | undefined;
  readonly #pending: FrameBuilder[] = [];
  /** The last frame each socket got, for sockets that were sent frames read back from the log. */
  #sentTo = new WeakMap<WebSocket, number>();
  /** The log is open (or failed to open): until then the channel must not be dropped. */
  settled = false;
  /** Sockets joining (being sent what they missed). */
  joining = 0;
  /** This instance told the bus it watches the session. */
  watched = false;
  /** A check for turns lost with their instance is under way. */
  checkingLostTurns = false;
  #closed = false;
  readonly #maxBufferedBytes: number;
  #orphanTimer: NodeJS.Timeout | undefined;
  lastActivity = Date.now();
  /** The admission of the last message received (rate check), so that messages start in order. */
  admission: Promise<void>;

  /** Turns begun and not ended in the frames seen here (any instance's), when the bus is shared. */
  readonly openTurns = new Set<string>();
  /** When the last frame was seen here. */
  lastFrameAt = Date.now();
  #trackedSeq = 0;
  readonly #tracksTurns: boolean;

  constructor(sessionId: string, key: string, bus: SessionBus, maxBufferedBytes = 4 * 1024 * 1024) {
    this.sessionId = sessionId;
    this.key = key;
    this.#tracksTurns = bus.shared;
    this.#maxBufferedBytes = maxBufferedBytes;
    this.ready = bus
      .open(key, (seq, data, options) => this.#deliver(seq, data, options))
      .then((log) => {
        // Dropped while it opened (forgotten, swept): the log goes too.
        if (this.#closed) return log.close();
        this.#log = log;
        for (const build of this.#pending.splice(0)) log.append(build);
      });
    this.admission = this.ready.catch(() => {});
    const settle = () => {
      this.settled = true;
    };
    this.ready.then(settle, settle);
  }

  /** Cancels the running turns in `delayMs` unless a socket opens on the session before (here or, when `watchedElsewhere` says so, elsewhere). */
  cancelTurnsAfter(delayMs: number, watchedElsewhere: () => Promise<boolean>): void {
    if (this.turns.size === 0) return;
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = setTimeout(async () => {
      if (this.sockets.size > 0) return;
      if (await watchedElsewhere()) return this.cancelTurnsAfter(delayMs, watchedElsewhere);
      // Nobody watches: the user left while it ran.
      if (this.sockets.size === 0) for (const controller of this.turns.values()) controller.abort(userCancellation());
    }, delayMs).unref();
  }

  /** A socket opened: turns waiting to be cancelled carry on. */
  keepTurns(): void {
    clearTimeout(this.#orphanTimer);
    this.#orphanTimer = undefined;
  }

  /** Numbers the frame `build` makes and sends it to every socket open on the session, on every instance. */
  publish(build: FrameBuilder): void {
    this.lastActivity = Date.now();
    if (this.#log) this.#log.append(build);
    else this.#pending.push(build);
  }

  /** False when the session already received a message with this id (a client sending it again). */
  async admit(messageId: string): Promise<boolean> {
    await this.ready;
    return this.#log!.admit(messageId);
  }

  /** Forgets an admitted id whose message was refused: it may be sent again. */
  release(messageId: string): void {
    this.#log?.release(messageId);
  }

  async lastSeq(): Promise<number> {
    await this.ready;
    return this.#log!.lastSeq();
  }

  /**
   * Adds a socket. With `lastSeenSeq`, first sends it the frames after that one still held, then those
   * published meanwhile, none twice. When some were already dropped, `onGap` is called before with the
   * number of the first frame it will get.
   */
  async join(socket: WebSocket, lastSeenSeq?: number, onGap?: (firstSent: number) => void): Promise<void> {
    await this.ready;
    if (this.#closed) throw new Error("The session was closed while the socket joined it.");
    if (lastSeenSeq === undefined) {
      this.sockets.add(socket);
      return;
    }
    this.#log!.sawUpTo(lastSeenSeq);
    // Added first, holding what is delivered while the log is read, so that nothing falls in between.
    const held: { seq: number; data: string }[] = [];
    this.#holding.set(socket, held);
    this.sockets.add(socket);
    let last = lastSeenSeq;
    try {
      const { frames, complete, last: sessionLast } = await this.#log!.framesAfter(lastSeenSeq);
      // A client holding numbers the session never reached (the server restarted, numbering began
      // again) gets every new frame: it follows a numbering that starts over.
      last = Math.min(lastSeenSeq, sessionLast);
      if (!complete) onGap?.(frames[0] ? seqOf(frames[0]) : (await this.#log!.lastSeq()) + 1);
      for (const data of frames) {
        this.#send(socket, data);
        last = seqOf(data);
        this.#track(last, data);
      }
    } finally {
      this.#holding.delete(socket);
      for (const frame of held)
        if (frame.seq > last) {
          this.#send(socket, frame.data);
          last = frame.seq;
        }
      this.#sentTo.set(socket, last);
    }
  }

  /** Sockets being sent what they missed, with the frames delivered meanwhile. */
  readonly #holding = new Map<WebSocket, { seq: number; data: string }[]>();

  #deliver(seq: number, data: string, options?: { restarted?: boolean }): void {
    if (options?.restarted) {
      // Numbering started again: what sockets were sent before says nothing about these numbers.
      this.#sentTo = new WeakMap();
      this.#trackedSeq = 0;
    }
    this.#track(seq, data);
    for (const socket of this.sockets) {
      const held = this.#holding.size ? this.#holding.get(socket) : undefined;
      if (held) held.push({ seq, data });
      else if (seq > (this.#sentTo.get(socket) ?? 0)) this.#send(socket, data);
    }
  }

  /** Follows which turns are open, so that one whose instance stopped can be told to the clients. */
  #track(seq: number, data: string): void {
    if (!this.#tracksTurns || seq <= this.#trackedSeq) return;
    this.#trackedSeq = seq;
    this.lastFrameAt = Date.now();
    const type = typeOf(data);
    if (type !== "turn_start" && type !== "agent_response_complete" && type !== "error") return;
    const turnId = (JSON.parse(data) as { context?: { turn_id?: string } }).context?.turn_id;
    if (!turnId) return;
    if (type === "turn_start") this.openTurns.add(turnId);
    else this.openTurns.delete(turnId);
  }

  #send(socket: WebSocket, data: string): void {
    if (socket.readyState !== socket.OPEN) return;
    // A client that does not read would make the server hold its frames without end: it is closed,
    // and gets what it missed by resuming with ?last_seq=N.
    if (socket.bufferedAmount > this.#maxBufferedBytes) {
      socket.close(errorCodes.CONNECTION_TOO_SLOW.webSocketCloseCode, "reading too slowly");
      setTimeout(() => socket.terminate(), 1_000).unref();
      return;
    }
    corkUntilIdle(socket);
    socket.send(data);
  }

  get idle(): boolean {
    return this.sockets.size === 0 && this.turns.size === 0;
  }

  close(): void {
    this.#closed = true;
    this.#log?.close();
  }
}

/** The envelope's type: its first `"type":` (the keys before it are strings or the seq). */
function typeOf(data: string): string {
  const at = data.indexOf('"type":"') + 8;
  return data.slice(at, data.indexOf('"', at));
}

/** The envelope's seq: its first `"seq":` (the keys before it are strings, which cannot hold one). */
function seqOf(data: string): number {
  const at = data.indexOf('"seq":') + 6;
  return Number.parseInt(data.slice(at, at + 20), 10);
}
