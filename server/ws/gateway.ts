import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { type Agent, type Logger, type ErrorCode, errorCodes, toAgentError, userCancellation } from "realtime-agent";
import { type FeedbackBody, recordFeedback } from "../feedback.ts";
import type { ServerMetrics } from "../metrics.ts";
import type { Authenticator } from "../auth/request-auth.ts";
import {
  errorFrame,
  frameOf,
  parseClientFrame,
  protocolVersion,
  serverEventFrame,
  sessionReadyFrame,
  type SystemEventName,
  type TurnOptions,
} from "../protocol.ts";
import { InMemoryRateLimiter, type MessageRateLimiter } from "./rate-limiter.ts";
import { readUpgradeRequest, refuseUpgrade, sessionKeyOf, type UpgradeRequest } from "./upgrade-request.ts";
import { localPrincipal } from "../auth/api-keys.ts";
import { SessionChannel } from "./session-channel.ts";
import { LocalSessionBus, type SessionBus, type SessionControl, defaultReplayWindow } from "./session-bus.ts";

export interface GatewayOptions {
  agent: Agent;
  metrics: ServerMetrics;
  logger: Logger;
  /** Frames larger than this get an INPUT_TOO_LARGE error frame (default 64 KiB), unless they carry images. */
  maxFrameBytes?: number;
  /** A message with images may be this large (default 7 MiB: a 5 MB image in base64, and some). */
  maxImageFrameBytes?: number;
  /**
   * Frames larger than this close the connection (default 8 MiB). `ws` closes it itself, with 1009: the
   * close code of CONNECTION_FRAME_TOO_LARGE in the error table.
   */
  hardFrameLimitBytes?: number;
  /**
   * Frames kept per session for clients resuming with ?last_seq=N: at most this many (default 2,048,
   * enough for a whole 512-token answer with its tool frames) and `replayBytes` (default 512 KiB).
   */
  replayFrames?: number;
  replayBytes?: number;
  /**
   * Where frames are numbered, kept and delivered (default: this process's memory, with the replay
   * window above). A RedisSessionBus shares sessions between instances. Closed with the gateway.
   */
  bus?: SessionBus;
  /** Forget a session's channel this long after its last socket closed (default 10 min). */
  idleSessionMs?: number;
  /** API keys and JWTs; without any, every client is the local owner (and the server must stay on loopback). */
  auth?: Authenticator;
  /** Origins whose pages may open the WebSocket besides the server's own ("*" for any; default none). */
  allowedOrigins?: readonly string[];
  /** Messages a client (a key's owner, or an address without keys) may send (default 20 at once, 5/s). */
  messageRate?: MessageRateLimiter;
  /** Open connections per client (default 32); more are refused with RATE_LIMITED. */
  maxConnectionsPerClient?: number;
  /** Sessions held in memory (default 10,000); a new one beyond is refused with SERVER_BUSY. */
  maxSessions?: number;
  /** Bytes queued for a socket that is not reading before it is closed with CONNECTION_TOO_SLOW (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Ping every this often; a socket that missed the last ping is closed with CONNECTION_IDLE (default 30 s). */
  pingIntervalMs?: number;
  /** Running turns are cancelled this long after their session's last socket closed (default 60 s). */
  orphanTurnMs?: number;
  /**
   * With a shared bus: a session whose turn has sent nothing for this long is checked for a turn whose
   * instance stopped, and its clients get SERVER_INSTANCE_STOPPED for it (default 2 s).
   */
  lostTurnCheckMs?: number;
}

/** Accepts WebSocket upgrades on /ws/:sessionId and runs each user message as an agent turn. */
export class WebSocketGateway {
  readonly #options: GatewayOptions;
  readonly #server: WebSocketServer;
  readonly #channels = new Map<string, SessionChannel>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #pinger: NodeJS.Timeout;
  readonly #lostTurnChecker: NodeJS.Timeout | undefined;
  readonly #connections = new Map<string, number>();
  readonly #alive = new WeakSet<WebSocket>();
  readonly #rate: MessageRateLimiter;
  readonly #bus: SessionBus;
  #closing = false;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#rate = options.messageRate ?? new InMemoryRateLimiter();
    this.#bus =
      options.bus ??
      new LocalSessionBus({
        frames: options.replayFrames ?? defaultReplayWindow.frames,
        bytes: options.replayBytes ?? defaultReplayWindow.bytes,
      });
    this.#bus.onControl((message) => this.#onControl(message));
    if (this.#bus.shared) {
      const every = options.lostTurnCheckMs ?? 2_000;
      this.#lostTurnChecker = setInterval(() => this.#checkLostTurns(every), every).unref();
    }
    this.#pinger = setInterval(() => this.#ping(), options.pingIntervalMs ?? 30_000).unref();
    this.#server = new WebSocketServer({
      noServer: true,
      maxPayload: options.hardFrameLimitBytes ?? 8 * 1024 * 1024,
      // A client that sends its key as a subprotocol (`rta.v1, rta.key.<key>`) gets rta.v1 back, never the key.
      handleProtocols: (offered) => (offered.has(protocolVersion) ? protocolVersion : false),
    });
    this.#sweeper = setInterval(() => this.#sweep(), 30_000).unref();
  }

  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // A client that resets the connection while it is being authenticated must not take the process down.
    const onEarlyError = () => socket.destroy();
    socket.on("error", onEarlyError);
    try {
      await this.#upgrade(request, socket, head);
    } finally {
      socket.off("error", onEarlyError);
    }
  }

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.#closing) return refuseUpgrade(socket, "SERVER_SHUTTING_DOWN", "The server is shutting down.");
    const asked = await readUpgradeRequest(request, this.#options.auth, this.#options.allowedOrigins ?? []);
    if ("code" in asked) return refuseUpgrade(socket, asked.code, asked.reason);
    const { client, owner, name } = asked;
    const maxConnections = this.#options.maxConnectionsPerClient ?? 32;
    if ((this.#connections.get(client) ?? 0) >= maxConnections)
      return refuseUpgrade(socket, "RATE_LIMITED", `At most ${maxConnections} open connections per client.`);
    const maxSessions = this.#options.maxSessions ?? 10_000;
    if (!this.#channels.has(sessionKeyOf(owner, name)) && this.#channels.size >= maxSessions) {
      this.#sweep(0);
      if (this.#channels.size >= maxSessions)
        return refuseUpgrade(socket, "SERVER_BUSY", `The server holds ${maxSessions} sessions, its limit.`);
    }
    this.#server.handleUpgrade(request, socket, head, (websocket) => this.#accept(websocket, asked));
  }

  /** A session is its owner's: the same name under another key is another session. */
  #channel(owner: string, name: string): SessionChannel {
    const key = sessionKeyOf(owner, name);
    let channel = this.#channels.get(key);
    if (!channel) {
      const opened = new SessionChannel(name, key, this.#bus, this.#options.maxBufferedBytes);
      opened.owner = owner;
      // A log that could not be opened (the bus's Redis away) is opened again by the next client.
      opened.ready.catch(() => {
        if (this.#channels.get(key) === opened) this.#channels.delete(key);
      });
      this.#channels.set(key, opened);
      channel = opened;
    }
    return channel;
  }

  #accept(socket: WebSocket, { client, owner, name: sessionId, lastSeen, issued }: UpgradeRequest): void {
    const channel = this.#channel(owner, sessionId);
    this.#connections.set(client, (this.#connections.get(client) ?? 0) + 1);
    this.#alive.add(socket);
    // Messages wait until the socket has joined the session, so that it gets every frame of their turns.
    const joined = this.#join(channel, socket, issued, lastSeen);

    socket.on("pong", () => this.#alive.add(socket));
    socket.on("message", (data, isBinary) => {
      this.#alive.add(socket);
      void joined.then((ok) => ok && this.#onMessage(channel, client, data, isBinary));
    });
    socket.on("error", (error) => this.#options.logger.warn("websocket error", { sessionId, error: error.message }));
    socket.on("close", () => {
      channel.sockets.delete(socket);
      channel.lastActivity = Date.now();
      const open = (this.#connections.get(client) ?? 1) - 1;
      if (open > 0) this.#connections.set(client, open);
      else this.#connections.delete(client);
      if (channel.sockets.size === 0) {
        if (channel.watched) this.#bus.setWatched(channel.key, false);
        channel.watched = false;
        // Turns nobody watches any more (here or on another instance) are cancelled after a grace
        // period; a reconnection keeps them.
        channel.cancelTurnsAfter(this.#options.orphanTurnMs ?? 60_000, () => this.#bus.watchedElsewhere(channel.key));
      }
      this.#updateActiveSessions();
    });
  }

  /** Sends what a resuming client missed and adds its socket; false when the session could not be opened. */
  async #join(
    channel: SessionChannel,
    socket: WebSocket,
    issued: boolean | undefined,
    lastSeen: number | undefined,
  ): Promise<boolean> {
    const { sessionId } = channel;
    channel.joining++;
    try {
      if (issued) socket.send(JSON.stringify(sessionReadyFrame(sessionId, await withinJoinTime(channel.lastSeq()))));
      // Numbered just before the first frame replayed (one the client cannot have: it was dropped), so
      // that a client keeping the highest seq it saw still takes every replayed frame after it.
      await withinJoinTime(
        channel.join(socket, lastSeen, (firstSent) =>
          socket.send(
            JSON.stringify(
              errorFrame(
                sessionId,
                firstSent - 1,
                "INPUT_MALFORMED",
                `Frames after seq ${lastSeen} are no longer held; some were missed.`,
                errorCodes.INPUT_MALFORMED.retryable,
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      this.#options.logger.error("session could not be opened", {
        sessionId,
        error: error instanceof Error ? error.message : String(error),
      });
      channel.sockets.delete(socket);
      socket.close(errorCodes.STORE_UNAVAILABLE.webSocketCloseCode, "session unavailable, try again");
      return false;
    } finally {
      channel.joining--;
    }
    if (socket.readyState !== socket.OPEN) {
      channel.sockets.delete(socket);
      return false;
    }
    channel.keepTurns();
    if (!channel.watched) {
      channel.watched = true;
      this.#bus.setWatched(channel.key, true);
    }
    // Before its messages are read: a cancel from this socket must know the turns running elsewhere
    // (a Redis that does not answer delays them 5 s at most).
    if (this.#bus.shared) await withinJoinTime(this.#publishLostTurns(channel)).catch(() => {});
    this.#updateActiveSessions();
    return true;
  }

  #onMessage(channel: SessionChannel, client: string, data: RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data)
      ? data.reduce((sum, part) => sum + part.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    const maxBytes = this.#options.maxFrameBytes ?? 64 * 1024;
    // Larger frames are read only when the model reads images: otherwise no message may be that large.
    const maxImageBytes = this.#options.agent.model.capabilities.vision
      ? Math.max(maxBytes, this.#options.maxImageFrameBytes ?? 7 * 1024 * 1024)
      : maxBytes;
    const tooLarge = (limit: number, what = "", replyTo?: string) =>
      this.#sendError(
        channel,
        "INPUT_TOO_LARGE",
        `The frame has ${bytes} bytes; the limit is ${limit}${what}.`,
        replyTo,
      );
    if (bytes > maxImageBytes) {
      tooLarge(maxImageBytes, maxImageBytes > maxBytes ? " (with images)" : "");
      return;
    }
    if (isBinary) {
      this.#sendError(channel, "INPUT_MALFORMED", "Binary frames are not accepted; send JSON text.");
      return;
    }
    const parsed = parseClientFrame(
      Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8"),
    );
    if (!parsed.ok) {
      this.#sendError(channel, "INPUT_MALFORMED", parsed.message, parsed.messageId);
      return;
    }
    // Only a message with images may be larger than the frame limit.
    if (bytes > maxBytes && !(parsed.message.kind === "user_message" && parsed.message.options?.images)) {
      tooLarge(maxBytes, "", "messageId" in parsed.message ? parsed.message.messageId : undefined);
      return;
    }
    const message = parsed.message;
    if (message.kind === "feedback") {
      // Rated like messages (each costs a store read and write), and always answered with a reply_to:
      // an error without one would end another client's turn in flight.
      const replyTo = message.messageId;
      const admitted = this.#rate.take(client);
      void admitted.then((ok) =>
        ok
          ? this.#recordFeedback(channel, message.body, replyTo)
          : this.#sendError(channel, "RATE_LIMITED", "Too much feedback at once: this one was dropped.", replyTo),
      );
      return;
    }
    if (message.kind === "cancel") {
      // The turns meant are those running now: here, stopped at once; elsewhere, told by their ids (a
      // cancel that reaches them late must not stop a turn begun after it).
      const meant = (turnId: string) => !message.turnId || message.turnId === turnId;
      for (const [turnId, controller] of channel.turns) if (meant(turnId)) controller.abort(userCancellation());
      const elsewhere = [...channel.openTurns].filter((turnId) => meant(turnId) && !channel.turns.has(turnId));
      if (this.#bus.shared && elsewhere.length)
        this.#bus.control({ kind: "cancel", sessionKey: channel.key, turnIds: elsewhere });
      return;
    }
    // Messages of a session keep their order: each waits for the rate check of the one before it.
    const admitted = this.#rate.take(client);
    channel.admission = channel.admission.then(async () => {
      // A message sent again by a client that could not tell whether it arrived gets no second
      // answer (its frames, or its RATE_LIMITED error, come with the client's resume).
      if (message.messageId !== undefined && !(await channel.admit(message.messageId))) {
        this.#options.metrics.duplicateMessages.inc();
        return;
      }
      if (!(await admitted)) {
        // Refused, not answered: the same message may come again later with its id.
        if (message.messageId !== undefined) channel.release(message.messageId);
        this.#sendError(
          channel,
          "RATE_LIMITED",
          "Too many messages: this one was dropped. Wait a moment and send it again.",
          message.messageId,
        );
        return;
      }
      this.#options.metrics.messages.inc();
      void this.#runTurn(channel, client, message.text, message.messageId, message.options);
    });
  }

  /** Records a rating of one of the session's turns; the session's sockets hear of it as a `feedback_recorded` event. */
  async #recordFeedback(channel: SessionChannel, body: FeedbackBody, replyTo: string | undefined): Promise<void> {
    try {
      const record = await recordFeedback(
        this.#options.agent,
        channel.owner ?? localPrincipal.owner,
        channel.key,
        channel.sessionId,
        body,
      );
      channel.publish((seq) =>
        serverEventFrame(
          channel.sessionId,
          seq,
          "feedback_recorded",
          `Feedback recorded on turn ${record.turnId}.`,
          { turn_id: record.turnId, kind: record.kind, ...(record.score !== undefined ? { score: record.score } : {}) },
          replyTo,
        ),
      );
    } catch (error) {
      const agentError = toAgentError(error);
      this.#sendError(channel, agentError.code, agentError.message, replyTo);
    }
  }

  /** Tells the clients of sessions whose turn stalled when that turn's instance has stopped (one check at a time per session). */
  #checkLostTurns(stalledMs: number): void {
    const now = Date.now();
    for (const channel of this.#channels.values())
      if (
        channel.sockets.size > 0 &&
        channel.openTurns.size > 0 &&
        !channel.checkingLostTurns &&
        now - channel.lastFrameAt >= stalledMs
      )
        void this.#publishLostTurns(channel);
  }

  /**
   * Learns which of the session's turns run (on any instance), and tells its clients of those whose
   * instance stopped. Checked when a socket joins (a client that moved may have left a turn behind)
   * and when a turn stalls.
   */
  async #publishLostTurns(channel: SessionChannel): Promise<void> {
    channel.checkingLostTurns = true;
    try {
      const known = [...channel.openTurns];
      const { running, lost } = await this.#bus.claimLostTurns(channel.key);
      for (const turnId of known) if (!running.includes(turnId)) channel.openTurns.delete(turnId);
      for (const turnId of running) channel.openTurns.add(turnId);
      for (const { turnId, replyTo } of lost) {
        this.#options.metrics.errors.inc({ error_type: "SERVER_INSTANCE_STOPPED" });
        channel.publish((seq) =>
          frameOf(
            channel.sessionId,
            seq,
            {
              type: "error",
              turnId,
              code: "SERVER_INSTANCE_STOPPED",
              message: "The server running this answer stopped before it finished: send the message again.",
              retryable: errorCodes.SERVER_INSTANCE_STOPPED.retryable,
            },
            replyTo,
          ),
        );
      }
    } catch (error) {
      this.#options.logger.warn("lost turns not checked", {
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      channel.checkingLostTurns = false;
    }
  }

  /** Runs one message as a turn; its frames carry the message's id as `reply_to` when it had one. */
  async #runTurn(
    channel: SessionChannel,
    client: string,
    text: string,
    replyTo: string | undefined,
    options: TurnOptions = {},
  ): Promise<void> {
    const controller = new AbortController();
    const started = performance.now();
    let turnId: string | undefined;
    try {
      for await (const event of this.#options.agent.runTurn({
        sessionId: channel.key,
        ...(channel.owner ? { owner: channel.owner } : {}),
        client,
        text,
        signal: controller.signal,
        ...options,
      })) {
        if (event.type === "turn-start") {
          turnId = event.turnId;
          channel.turns.set(turnId, controller);
          this.#bus.turnStarted(channel.key, turnId, replyTo);
        }
        this.#options.metrics.observe(event);
        if (event.type === "error")
          this.#options.metrics.responseTime.observe({ outcome: "error" }, (performance.now() - started) / 1000);
        channel.publish((seq) => frameOf(channel.sessionId, seq, event, replyTo));
      }
    } catch (error) {
      // The agent never throws by contract; this guards the process if that contract is ever broken.
      this.#options.logger.error("turn crashed", {
        sessionId: channel.sessionId,
        error: error instanceof Error ? error.message : String(error),
      });
      this.#sendError(channel, "INTERNAL", "The turn failed unexpectedly.", replyTo);
    } finally {
      if (turnId) {
        channel.turns.delete(turnId);
        this.#bus.turnEnded(channel.key, turnId);
      }
    }
  }

  #sendError(channel: SessionChannel, code: ErrorCode, message: string, replyTo?: string): void {
    this.#options.metrics.errors.inc({ error_type: code });
    channel.publish((seq) => errorFrame(channel.sessionId, seq, code, message, errorCodes[code].retryable, replyTo));
  }

  #updateActiveSessions(): void {
    let active = 0;
    for (const channel of this.#channels.values()) if (channel.sockets.size > 0) active++;
    this.#options.metrics.activeSessions.set(active);
  }

  /** Pings every socket; one that did not answer the last ping (nor sent anything since) is closed. */
  #ping(): void {
    for (const channel of this.#channels.values())
      for (const socket of channel.sockets) {
        if (!this.#alive.has(socket)) {
          socket.close(errorCodes.CONNECTION_IDLE.webSocketCloseCode, "no answer to ping");
          setTimeout(() => socket.terminate(), 1_000).unref();
          continue;
        }
        this.#alive.delete(socket);
        socket.ping();
      }
  }

  #sweep(idleMs = this.#options.idleSessionMs ?? 10 * 60 * 1000): void {
    const now = Date.now();
    for (const [sessionId, channel] of this.#channels) {
      if (channel.idle && channel.settled && channel.joining === 0 && now - channel.lastActivity > idleMs) {
        this.#channels.delete(sessionId);
        channel.close();
      }
    }
  }

  /** Sends a server-wide `system_event` on every session that has a client connected. */
  announce(event: SystemEventName, message: string, data: Record<string, unknown> = {}): void {
    for (const channel of this.#channels.values())
      if (channel.sockets.size > 0)
        channel.publish((seq) => serverEventFrame(channel.sessionId, seq, event, message, data));
  }

  /**
   * Forgets deleted sessions (agent session ids), on every instance: their running turns are cancelled,
   * their sockets closed with SESSION_DELETED, and the frames kept for resuming dropped.
   */
  forget(sessionKeys: readonly string[]): void {
    this.#forgetHere(sessionKeys);
    if (this.#bus.shared) this.#bus.control({ kind: "forget", sessionKeys: [...sessionKeys] });
  }

  #onControl(message: SessionControl): void {
    if (message.kind === "forget") {
      this.#forgetHere(message.sessionKeys);
      return;
    }
    const channel = this.#channels.get(message.sessionKey);
    for (const [turnId, controller] of channel?.turns ?? [])
      if (message.turnIds.includes(turnId)) controller.abort(userCancellation());
  }

  #forgetHere(sessionKeys: readonly string[]): void {
    for (const key of sessionKeys) {
      const channel = this.#channels.get(key);
      if (!channel) continue;
      for (const controller of channel.turns.values()) controller.abort();
      for (const socket of channel.sockets)
        socket.close(errorCodes.SESSION_DELETED.webSocketCloseCode, "session deleted");
      this.#channels.delete(key);
      channel.close();
    }
    this.#updateActiveSessions();
  }

  /**
   * Stops taking connections, lets running turns finish for up to `drainMs` (their frames still reach
   * the client), then cancels what is left and closes every socket with SERVER_SHUTTING_DOWN.
   */
  async close(drainMs = 0): Promise<void> {
    this.#closing = true;
    clearInterval(this.#sweeper);
    clearInterval(this.#pinger);
    clearInterval(this.#lostTurnChecker);
    const deadline = Date.now() + drainMs;
    while (Date.now() < deadline && [...this.#channels.values()].some((channel) => channel.turns.size > 0))
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const channel of this.#channels.values()) {
      for (const controller of channel.turns.values()) controller.abort();
      for (const socket of channel.sockets)
        socket.close(errorCodes.SERVER_SHUTTING_DOWN.webSocketCloseCode, "server shutting down");
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // The cancelled turns' last frames (and, shared, their end) reach the bus before it closes.
    const settled = Date.now() + 2_000;
    while (Date.now() < settled && [...this.#channels.values()].some((channel) => channel.turns.size > 0))
      await new Promise((resolve) => setTimeout(resolve, 20));
    for (const channel of this.#channels.values()) channel.close();
    await this.#bus.close();
  }
}

/** A session's shared store answers a joining socket within 5 s, or the socket is told to reconnect (1013). */
function withinJoinTime<Value>(work: Promise<Value>): Promise<Value> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("The session store did not answer within 5 s.")), 5_000);
    }),
  ]).finally(() => clearTimeout(timer));
}
