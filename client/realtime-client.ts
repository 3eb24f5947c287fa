import { cancelFrame, type ClientFrame, feedbackFrame, type TurnOptions, userMessageFrame } from "./client-frames.ts";
import { RealtimeClientError } from "./client-error.ts";
import { parseServerFrame } from "./parse-server-frame.ts";
import { protocolVersion, type ServerFrame } from "./server-frames.ts";
import { Turn, type TurnControl } from "./turn.ts";
import {
  platformWebSocket,
  socketOpen,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./websocket-constructor.ts";

export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

export interface ResumeOptions {
  /** Resume from this sequence number at the first connection too (e.g. one an earlier page saw). */
  lastSeq?: number;
  /** Wait before the first attempt to reconnect; doubles after each failed attempt (default 250 ms). */
  initialDelayMs?: number;
  /** The longest wait between attempts (default 10 s). */
  maxDelayMs?: number;
  /** Give up after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

export interface ConnectOptions {
  sessionId: string;
  /**
   * The server's API key, when it has keys. Sent as a WebSocket subprotocol (`rta.key.<key>`, beside
   * `rta.v1`), which browsers allow where they do not allow an Authorization header.
   */
  apiKey?: string;
  /** A WebSocket implementation; by default the global one, or the `ws` package in Node without one. */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after an unexpected close and resume after the last frame seen (default: on). */
  resume?: boolean | ResumeOptions;
  /** Every frame, once, in sequence order, including frames of turns this client did not start. */
  onFrame?: (frame: ServerFrame) => void;
  onStatus?: (status: ConnectionStatus) => void;
  /** A frame that does not match the protocol; the turn in progress also fails with this error. */
  onInvalidFrame?: (error: RealtimeClientError) => void;
}

/**
 * The WebSocket address of a session: `url` is the server (`ws://host:port`, `http://…` also works) or
 * its WebSocket endpoint (`…/ws`).
 */
export function sessionUrl(url: string, sessionId: string, lastSeq?: number): string {
  const base = url.replace(/\/+$/, "").replace(/^http/, "ws");
  const endpoint = base.endsWith("/ws") ? base : `${base}/ws`;
  return `${endpoint}/${encodeURIComponent(sessionId)}${lastSeq === undefined ? "" : `?last_seq=${lastSeq}`}`;
}

/** Opens a session and resolves once connected; rejects with CONNECTION_FAILED if that first attempt fails. */
export async function connect(url: string, options: ConnectOptions): Promise<RealtimeClient> {
  const client = new RealtimeClient(url, options.WebSocket ?? (await platformWebSocket()), options);
  await client.opened;
  return client;
}

/**
 * A typed client for protocol rta.v1, for Node and browsers. `send` returns a Turn to iterate; messages
 * go to the server one at a time (the server runs a session's messages one after another anyway), so
 * each `turn_start` belongs to the message in flight. After an unexpected close it reconnects with
 * `?last_seq=` and the turn in progress continues with no frame lost or repeated. One client should
 * write to a session at a time; other sockets on it can read (`onFrame`).
 */
export class RealtimeClient {
  readonly sessionId: string;
  /** Resolves when the first connection opens. */
  readonly opened: Promise<void>;
  readonly #url: string;
  readonly #apiKey: string | undefined;
  /** Whether to ask for a replay even before any frame was seen (a `resume.lastSeq` given, 0 included). */
  readonly #resumeGiven: boolean;
  readonly #WebSocket: WebSocketConstructor;
  readonly #options: ConnectOptions;
  readonly #resume: Required<Omit<ResumeOptions, "lastSeq">> | undefined;
  /** Messages not sent yet, oldest first. */
  readonly #queue: (TurnControl & { options: TurnOptions })[] = [];
  /** The message sent and not answered yet: at most one at a time. */
  #current: (TurnControl & { options: TurnOptions; cancelRequested: boolean; messageId: string }) | undefined;
  #socket: WebSocketLike | undefined;
  #status: ConnectionStatus = "connecting";
  #lastSeq: number;
  /** True until the current socket delivers its first frame. */
  #awaitingFirstFrame = false;
  #failedAttempts = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #closing = false;

  /** Use `connect`, which also waits for the connection. */
  constructor(url: string, WebSocket: WebSocketConstructor, options: ConnectOptions) {
    this.sessionId = options.sessionId;
    this.#url = url;
    this.#apiKey = options.apiKey;
    this.#WebSocket = WebSocket;
    this.#options = options;
    const resume = options.resume ?? true;
    const resumeOptions = typeof resume === "object" ? resume : {};
    this.#resume =
      resume === false
        ? undefined
        : {
            initialDelayMs: resumeOptions.initialDelayMs ?? 250,
            maxDelayMs: resumeOptions.maxDelayMs ?? 10_000,
            maxAttempts: resumeOptions.maxAttempts ?? Number.POSITIVE_INFINITY,
          };
    this.#lastSeq = resumeOptions.lastSeq ?? 0;
    this.#resumeGiven = resumeOptions.lastSeq !== undefined;
    this.opened = new Promise((resolve, reject) => this.#open(resolve, reject));
    this.opened.catch(() => undefined);
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The sequence number of the last frame received (0 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /**
   * Sends a user message; its frames arrive on the returned Turn. `options.reasoning: "chains"` asks
   * for reasoning chains; `options.specialist` names the specialist to answer.
   */
  send(text: string, options: TurnOptions = {}): Turn {
    const control = Turn.open(text, (cancelled) => this.#cancel(cancelled));
    if (this.#closing) control.fail(new RealtimeClientError("CONNECTION_CLOSED", "The client is closed."));
    else {
      this.#queue.push({ ...control, options });
      this.#sendNext();
    }
    return control.turn;
  }

  /**
   * Rates an answer of the session by its turn id (1 good, 0 neutral, -1 bad), with or without a
   * comment. Resolves once the server recorded it; rejects with FEEDBACK_REFUSED (an unknown turn, a
   * rating out of range) or CONNECTION_CLOSED.
   */
  rate(turnId: string, feedback: { rating?: 1 | 0 | -1; comment?: string }): Promise<void> {
    if (this.#closing || this.#socket?.readyState !== socketOpen)
      return Promise.reject(new RealtimeClientError("CONNECTION_CLOSED", "The connection is not open."));
    const messageId = globalThis.crypto.randomUUID();
    return new Promise((resolve, reject) => {
      this.#ratings.set(messageId, { resolve, reject });
      this.#write(feedbackFrame(turnId, feedback, { messageId }));
    });
  }

  /** Ratings sent and not answered yet, by their message id. */
  readonly #ratings = new Map<string, { resolve: () => void; reject: (error: RealtimeClientError) => void }>();

  /** Cancels the turn in progress and every message not sent yet. */
  cancel(): void {
    for (const { turn } of [...this.#queue]) turn.cancel();
    this.#current?.turn.cancel();
  }

  /** Closes the connection; turns not ended fail with CONNECTION_CLOSED. */
  close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#reconnectTimer);
    this.#failAll(new RealtimeClientError("CONNECTION_CLOSED", "The client was closed."));
    const socket = this.#socket;
    this.#setStatus("closed");
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.addEventListener("close", () => resolve());
      socket.close(1000, "client closed");
    });
  }

  #open(onOpen?: () => void, onFirstFailure?: (error: RealtimeClientError) => void): void {
    const socket = new this.#WebSocket(
      sessionUrl(this.#url, this.sessionId, this.#lastSeq > 0 || this.#resumeGiven ? this.#lastSeq : undefined),
      this.#apiKey ? [protocolVersion, `rta.key.${this.#apiKey}`] : undefined,
    );
    this.#socket = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      this.#failedAttempts = 0;
      this.#awaitingFirstFrame = true;
      this.#setStatus("open");
      onOpen?.();
      this.#resendUnstarted();
      this.#sendCancel();
      this.#sendNext();
    });
    socket.addEventListener("message", (event) => this.#receive(event.data));
    socket.addEventListener("error", () => undefined);
    socket.addEventListener("close", (event) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#closing) return;
      if (onFirstFailure && !opened) {
        this.#closing = true;
        this.#setStatus("closed");
        onFirstFailure(
          new RealtimeClientError("CONNECTION_FAILED", `Could not connect to ${this.#url} (close code ${event.code}).`),
        );
        return;
      }
      // A rating on the broken connection may or may not have arrived: its sender decides whether to send it again.
      for (const rating of this.#ratings.values())
        rating.reject(
          new RealtimeClientError("CONNECTION_CLOSED", "The connection closed before the rating was confirmed."),
        );
      this.#ratings.clear();
      this.#reconnect();
    });
  }

  #reconnect(): void {
    const resume = this.#resume;
    if (!resume || this.#failedAttempts >= resume.maxAttempts) {
      this.#closing = true;
      this.#setStatus("closed");
      this.#failAll(new RealtimeClientError("CONNECTION_CLOSED", "The connection closed before the turn ended."));
      return;
    }
    this.#setStatus("reconnecting");
    const delay = Math.min(resume.initialDelayMs * 2 ** this.#failedAttempts, resume.maxDelayMs);
    this.#failedAttempts++;
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  #receive(data: unknown): void {
    let frame: ServerFrame;
    try {
      if (typeof data !== "string") throw new RealtimeClientError("FRAME_INVALID", "A binary frame; rta.v1 is text.");
      frame = parseServerFrame(data);
    } catch (error) {
      this.#onUnreadableFrame(error);
      return;
    }
    // The server replays only frames after ?last_seq=, so a first frame at or below it means the
    // session's numbering started again (the server restarted or forgot the session).
    const numberingRestarted = this.#awaitingFirstFrame && frame.seq <= this.#lastSeq;
    this.#awaitingFirstFrame = false;
    if (frame.seq <= this.#lastSeq && !numberingRestarted) return;
    this.#lastSeq = frame.seq;
    this.#options.onFrame?.(frame);
    const rating = frame.context.reply_to === undefined ? undefined : this.#ratings.get(frame.context.reply_to);
    if (rating) {
      this.#ratings.delete(frame.context.reply_to!);
      if (frame.type === "error")
        rating.reject(new RealtimeClientError("FEEDBACK_REFUSED", `${frame.content.code}: ${frame.content.message}`));
      else rating.resolve();
      return;
    }
    this.#route(frame);
  }

  #onUnreadableFrame(error: unknown): void {
    const clientError = RealtimeClientError.isInstance(error)
      ? error
      : new RealtimeClientError("FRAME_INVALID", String(error), { cause: error });
    if (clientError.code === "FRAME_TYPE_UNKNOWN") {
      // A newer frame type: skip it, but count it as seen.
      this.#awaitingFirstFrame = false;
      if (clientError.seq !== undefined && clientError.seq > this.#lastSeq) this.#lastSeq = clientError.seq;
      return;
    }
    this.#options.onInvalidFrame?.(clientError);
    const current = this.#current;
    if (current) {
      this.#current = undefined;
      current.fail(clientError);
      this.#sendNext();
    }
  }

  /** Gives a frame to the turn in flight when it is one of its frames. */
  #route(frame: ServerFrame): void {
    const current = this.#current;
    if (!current) return;
    // A frame answering another message (another client writing to the session) is not this turn's.
    if (frame.context.reply_to !== undefined && frame.context.reply_to !== current.messageId) return;
    const turnId = frame.context.turn_id;
    if (turnId === undefined) {
      // An error about the message itself (too large, …) or the connection (frames missed): it ends the turn.
      if (frame.type === "error") current.receive(frame);
    } else if (current.turn.turnId === undefined) {
      if (frame.type === "turn_start") {
        current.receive(frame);
        this.#sendCancel();
      }
    } else if (current.turn.turnId === turnId) current.receive(frame);
    if (current.turn.ended) {
      this.#current = undefined;
      this.#sendNext();
    }
  }

  #sendNext(): void {
    if (this.#current || this.#socket?.readyState !== socketOpen) return;
    const next = this.#queue.shift();
    if (!next) return;
    const messageId = globalThis.crypto.randomUUID();
    this.#current = { ...next, cancelRequested: false, messageId };
    this.#write(userMessageFrame(next.turn.text, { messageId, ...next.options }));
  }

  /**
   * After a reconnection: the message in flight whose turn has not started may have been written to
   * the connection that broke and never read. It goes again with the same id; the server answers an id
   * once, so a message that did arrive is not answered twice (its frames come with the replay).
   */
  #resendUnstarted(): void {
    const current = this.#current;
    if (current && current.turn.turnId === undefined && current.turn.frames.length === 0)
      this.#write(userMessageFrame(current.turn.text, { messageId: current.messageId, ...current.options }));
  }

  #cancel(turn: Turn): void {
    const queued = this.#queue.findIndex((control) => control.turn === turn);
    if (queued >= 0) {
      const [control] = this.#queue.splice(queued, 1);
      control!.fail(new RealtimeClientError("TURN_NOT_SENT", "The turn was cancelled before it was sent."), {
        quietly: true,
      });
      return;
    }
    if (this.#current?.turn !== turn) return;
    this.#current.cancelRequested = true;
    this.#sendCancel();
  }

  /** Cancels the turn in flight by its id once that is known and the socket is open. */
  #sendCancel(): void {
    const current = this.#current;
    const turnId = current?.turn.turnId;
    if (current?.cancelRequested && turnId !== undefined && this.#socket?.readyState === socketOpen)
      this.#write(cancelFrame(turnId));
  }

  #write(frame: ClientFrame): void {
    this.#socket?.send(JSON.stringify(frame));
  }

  #failAll(error: RealtimeClientError): void {
    for (const rating of this.#ratings.values()) rating.reject(error);
    this.#ratings.clear();
    const unfinished = [...(this.#current ? [this.#current] : []), ...this.#queue.splice(0)];
    this.#current = undefined;
    for (const control of unfinished) control.fail(error);
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#options.onStatus?.(status);
  }
}
