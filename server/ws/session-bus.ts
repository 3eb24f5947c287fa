import type { ServerFrameEnvelope } from "realtime-agent/client";

/** Builds a frame once its sequence number is known. */
export type FrameBuilder = (seq: number) => ServerFrameEnvelope;

/**
 * Receives a session's frames, serialized, in sequence order, each exactly once. `restarted`: the
 * session's numbering started again (its shared store lost it), so this frame's number may be one
 * already delivered.
 */
export type FrameListener = (seq: number, data: string, options?: { restarted?: boolean }) => void;

/** One session's numbered frames, as this instance sees them. */
export interface SessionLog {
  /** Numbers the frame and delivers it to every instance that opened the session (this one too). */
  append(build: FrameBuilder): void;
  /** The last sequence number given in the session (0 before any). */
  lastSeq(): Promise<number>;
  /**
   * Serialized frames after `lastSeenSeq` still held; `complete` is false when older ones were already
   * dropped; `last` is the session's last number (below `lastSeenSeq` when numbering started again).
   */
  framesAfter(lastSeenSeq: number): Promise<{ frames: string[]; complete: boolean; last: number }>;
  /** A client resumed from `seq`: numbering goes on after it even if the log lost track (shared logs). */
  sawUpTo(seq: number): void;
  /**
   * False when the session already received a message with this id (among its last
   * `rememberedMessages`): a client that resends a message it is not sure arrived gets one answer.
   */
  admit(messageId: string): Promise<boolean>;
  /** Forgets an admitted id (its message was refused, RATE_LIMITED): the client may send it again. */
  release(messageId: string): void;
  /** Stops delivering frames to this instance. */
  close(): void;
}

/** What one instance tells the others about a session. */
export type SessionControl =
  | { kind: "cancel"; sessionKey: string; turnIds: string[] }
  | { kind: "forget"; sessionKeys: string[] };

/**
 * Where sessions' frames are numbered, kept for resuming clients and carried to the sockets watching
 * them. In one process that is memory (LocalSessionBus); several instances share Redis
 * (RedisSessionBus), so that a session continues, resumes and is cancelled from any of them.
 */
export interface SessionBus {
  /** Shared between instances (a session may be watched and run elsewhere). */
  readonly shared: boolean;
  open(sessionKey: string, deliver: FrameListener): Promise<SessionLog>;
  /** Tells every instance (this one included, when the bus is shared) to cancel turns or forget sessions. */
  control(message: SessionControl): void;
  onControl(handler: (message: SessionControl) => void): void;
  /** Says that this instance has (or no longer has) sockets open on the session. */
  setWatched(sessionKey: string, watched: boolean): void;
  /** Whether another instance has a socket open on the session. */
  watchedElsewhere(sessionKey: string): Promise<boolean>;
  /** Records that a turn of the session runs on this instance, until `turnEnded`. */
  turnStarted(sessionKey: string, turnId: string, replyTo: string | undefined): void;
  turnEnded(sessionKey: string, turnId: string): void;
  /**
   * The session's turns recorded as running: `lost` those whose instance has stopped (no heartbeat),
   * each handed to one caller only, who tells the clients; `running` the others.
   */
  claimLostTurns(sessionKey: string): Promise<{ running: string[]; lost: LostTurn[] }>;
  close(): Promise<void>;
}

export interface LostTurn {
  turnId: string;
  replyTo: string | undefined;
}

/** Frames a session keeps for resuming clients: at most this many and (in memory) this many bytes. */
export interface ReplayWindow {
  frames: number;
  bytes: number;
}

export const defaultReplayWindow: ReplayWindow = { frames: 2048, bytes: 512 * 1024 };

/** Message ids a session remembers, so that a message sent again is not answered twice. */
export const rememberedMessages = 64;

/** One process: numbering and delivery are synchronous, frames are kept in memory. */
export class LocalSessionBus implements SessionBus {
  readonly shared = false;
  readonly #window: ReplayWindow;
  readonly #handlers: ((message: SessionControl) => void)[] = [];

  constructor(window: ReplayWindow = defaultReplayWindow) {
    this.#window = window;
  }

  open(_sessionKey: string, deliver: FrameListener): Promise<SessionLog> {
    return Promise.resolve(new LocalSessionLog(deliver, this.#window));
  }

  control(message: SessionControl): void {
    for (const handler of this.#handlers) handler(message);
  }

  onControl(handler: (message: SessionControl) => void): void {
    this.#handlers.push(handler);
  }

  setWatched(): void {}

  watchedElsewhere(): Promise<boolean> {
    return Promise.resolve(false);
  }

  turnStarted(): void {}

  turnEnded(): void {}

  /** One process: its turns end with it, and so do the sockets that would be told. */
  claimLostTurns(): Promise<{ running: string[]; lost: LostTurn[] }> {
    return Promise.resolve({ running: [], lost: [] });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class LocalSessionLog implements SessionLog {
  #seq = 0;
  /** Recent frames, already serialized: strings cost far less memory than the frame objects. */
  readonly #recent: { seq: number; data: string }[] = [];
  #recentBytes = 0;
  readonly #deliver: FrameListener;
  readonly #window: ReplayWindow;

  constructor(deliver: FrameListener, window: ReplayWindow) {
    this.#deliver = deliver;
    this.#window = window;
  }

  append(build: FrameBuilder): void {
    const seq = ++this.#seq;
    const data = JSON.stringify(build(seq));
    this.#recent.push({ seq, data });
    this.#recentBytes += data.length;
    while (
      this.#recent.length > 1 &&
      (this.#recent.length > this.#window.frames || this.#recentBytes > this.#window.bytes)
    )
      this.#recentBytes -= this.#recent.shift()!.data.length;
    this.#deliver(seq, data);
  }

  lastSeq(): Promise<number> {
    return Promise.resolve(this.#seq);
  }

  framesAfter(lastSeenSeq: number): Promise<{ frames: string[]; complete: boolean; last: number }> {
    const frames = this.#recent.filter((frame) => frame.seq > lastSeenSeq).map((frame) => frame.data);
    const oldest = this.#recent[0]?.seq ?? this.#seq + 1;
    return Promise.resolve({
      frames,
      complete: lastSeenSeq + 1 >= oldest || lastSeenSeq >= this.#seq,
      last: this.#seq,
    });
  }

  sawUpTo(): void {}

  readonly #messageIds = new Set<string>();

  admit(messageId: string): Promise<boolean> {
    if (this.#messageIds.has(messageId)) return Promise.resolve(false);
    this.#messageIds.add(messageId);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.#messageIds.size > rememberedMessages) this.#messageIds.delete(this.#messageIds.values().next().value!);
    return Promise.resolve(true);
  }

  release(messageId: string): void {
    this.#messageIds.delete(messageId);
  }

  close(): void {}
}
