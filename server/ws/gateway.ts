import { randomUUID } from "node:crypto";
import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { type Agent, type Logger, type ErrorCode, errorCodes } from "realtime-agent";
import type { ServerMetrics } from "../metrics.ts";
import { ApiKeys, localPrincipal } from "../auth/api-keys.ts";
import { authenticateRequest, originAllowed } from "../auth/request-auth.ts";
import { errorFrame, frameOf, parseClientFrame, protocolVersion, sessionReadyFrame } from "../protocol.ts";
import { SessionChannel } from "./session-channel.ts";

export interface GatewayOptions {
  agent: Agent;
  metrics: ServerMetrics;
  logger: Logger;
  /** Frames larger than this get an INPUT_TOO_LARGE error frame (default 64 KiB). */
  maxFrameBytes?: number;
  /**
   * Frames larger than this close the connection (default 1 MiB). `ws` closes it itself, with 1009: the
   * close code of CONNECTION_FRAME_TOO_LARGE in the error table.
   */
  hardFrameLimitBytes?: number;
  /** Frames kept per session for clients resuming with ?last_seq=N (default 512). */
  replayFrames?: number;
  /** Forget a session's channel this long after its last socket closed (default 10 min). */
  idleSessionMs?: number;
  /** API keys; without any, every client is the local owner (and the server must stay on loopback). */
  keys?: ApiKeys;
  /** Origins whose pages may open the WebSocket besides the server's own ("*" for any; default none). */
  allowedOrigins?: readonly string[];
}

const sessionPathPattern = /^\/ws\/([A-Za-z0-9_.:-]{1,128})$/;
const noKeys = new ApiKeys();

/**
 * The agent's session id for a client's session name: the owner's space, then the name. With no keys
 * configured every client is the local owner, whose sessions keep their plain names.
 */
export function sessionKeyOf(owner: string, name: string): string {
  return owner === localPrincipal.owner ? name : `${owner}/${name}`;
}

/** Refuses a WebSocket upgrade with the HTTP status of `code` and a one-line reason. */
function refuseUpgrade(socket: Duplex, code: ErrorCode, reason: string): void {
  const status = errorCodes[code].httpStatus;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${code}: ${reason}\n`,
  );
}

/** Accepts WebSocket upgrades on /ws/:sessionId and runs each user message as an agent turn. */
export class WebSocketGateway {
  readonly #options: GatewayOptions;
  readonly #server: WebSocketServer;
  readonly #channels = new Map<string, SessionChannel>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: GatewayOptions) {
    this.#options = options;
    this.#server = new WebSocketServer({
      noServer: true,
      maxPayload: options.hardFrameLimitBytes ?? 1024 * 1024,
      // A client that sends its key as a subprotocol (`rta.v1, rta.key.<key>`) gets rta.v1 back, never the key.
      handleProtocols: (offered) => (offered.has(protocolVersion) ? protocolVersion : false),
    });
    this.#sweeper = setInterval(() => this.#sweep(), 30_000).unref();
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (!originAllowed(request, this.#options.allowedOrigins ?? [])) {
      return refuseUpgrade(
        socket,
        "AUTH_FORBIDDEN",
        `Pages from ${request.headers.origin} may not open this WebSocket.`,
      );
    }
    const auth = authenticateRequest(request, this.#options.keys ?? noKeys, "chat");
    if (!auth.ok) return refuseUpgrade(socket, auth.status === 401 ? "AUTH_REQUIRED" : "AUTH_FORBIDDEN", auth.reason);
    const issued = url.pathname === "/ws" || url.pathname === "/ws/";
    const match = sessionPathPattern.exec(url.pathname);
    if (!issued && !match) {
      const reason = url.pathname.startsWith("/ws/")
        ? "Session names are 1-128 characters of A-Z a-z 0-9 _ . : -"
        : "The WebSocket endpoint is /ws (a new session) or /ws/:session";
      return refuseUpgrade(socket, "SESSION_INVALID", reason);
    }
    const name = issued ? `s_${randomUUID().replaceAll("-", "")}` : match![1]!;
    const lastSeen = Number.parseInt(url.searchParams.get("last_seq") ?? "", 10);
    this.#server.handleUpgrade(request, socket, head, (websocket) =>
      this.#accept(websocket, auth.principal.owner, name, {
        lastSeen: Number.isFinite(lastSeen) ? lastSeen : undefined,
        issued,
      }),
    );
  }

  /** A session is its owner's: the same name under another key is another session. */
  #channel(owner: string, name: string): SessionChannel {
    const key = sessionKeyOf(owner, name);
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = new SessionChannel(name, key, this.#options.replayFrames ?? 512);
      this.#channels.set(key, channel);
    }
    return channel;
  }

  #accept(
    socket: WebSocket,
    owner: string,
    sessionId: string,
    { lastSeen, issued }: { lastSeen: number | undefined; issued: boolean },
  ): void {
    const channel = this.#channel(owner, sessionId);
    if (issued) socket.send(JSON.stringify(sessionReadyFrame(sessionId, channel.lastSeq)));
    if (lastSeen !== undefined) {
      const { frames, complete } = channel.framesAfter(lastSeen);
      if (!complete) {
        socket.send(
          JSON.stringify(
            errorFrame(
              sessionId,
              channel.lastSeq,
              "INPUT_MALFORMED",
              `Frames after seq ${lastSeen} are no longer held; some were missed.`,
              errorCodes.INPUT_MALFORMED.retryable,
            ),
          ),
        );
      }
      for (const frame of frames) socket.send(frame);
    }
    channel.sockets.add(socket);
    this.#updateActiveSessions();

    socket.on("message", (data, isBinary) => this.#onMessage(channel, data, isBinary));
    socket.on("error", (error) => this.#options.logger.warn("websocket error", { sessionId, error: error.message }));
    socket.on("close", () => {
      channel.sockets.delete(socket);
      channel.lastActivity = Date.now();
      this.#updateActiveSessions();
    });
  }

  #onMessage(channel: SessionChannel, data: RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data)
      ? data.reduce((sum, part) => sum + part.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    const maxBytes = this.#options.maxFrameBytes ?? 64 * 1024;
    if (bytes > maxBytes) {
      this.#sendError(channel, "INPUT_TOO_LARGE", `The frame has ${bytes} bytes; the limit is ${maxBytes}.`);
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
      this.#sendError(channel, "INPUT_MALFORMED", parsed.message);
      return;
    }
    const message = parsed.message;
    if (message.kind === "cancel") {
      for (const [turnId, controller] of channel.turns)
        if (!message.turnId || message.turnId === turnId) controller.abort();
      return;
    }
    this.#options.metrics.messages.inc();
    void this.#runTurn(channel, message.text);
  }

  async #runTurn(channel: SessionChannel, text: string): Promise<void> {
    const controller = new AbortController();
    const started = performance.now();
    let turnId: string | undefined;
    try {
      for await (const event of this.#options.agent.runTurn({
        sessionId: channel.key,
        text,
        signal: controller.signal,
      })) {
        if (event.type === "turn-start") {
          turnId = event.turnId;
          channel.turns.set(turnId, controller);
        }
        this.#options.metrics.observe(event);
        if (event.type === "error")
          this.#options.metrics.responseTime.observe({ outcome: "error" }, (performance.now() - started) / 1000);
        channel.publish(frameOf(channel.sessionId, channel.nextSeq(), event));
      }
    } catch (error) {
      // The agent never throws by contract; this guards the process if that contract is ever broken.
      this.#options.logger.error("turn crashed", {
        sessionId: channel.sessionId,
        error: error instanceof Error ? error.message : String(error),
      });
      this.#sendError(channel, "INTERNAL", "The turn failed unexpectedly.");
    } finally {
      if (turnId) channel.turns.delete(turnId);
    }
  }

  #sendError(channel: SessionChannel, code: ErrorCode, message: string): void {
    this.#options.metrics.errors.inc({ error_type: code });
    channel.publish(errorFrame(channel.sessionId, channel.nextSeq(), code, message, errorCodes[code].retryable));
  }

  #updateActiveSessions(): void {
    let active = 0;
    for (const channel of this.#channels.values()) if (channel.sockets.size > 0) active++;
    this.#options.metrics.activeSessions.set(active);
  }

  #sweep(): void {
    const idleMs = this.#options.idleSessionMs ?? 10 * 60 * 1000;
    const now = Date.now();
    for (const [sessionId, channel] of this.#channels) {
      if (channel.idle && now - channel.lastActivity > idleMs) this.#channels.delete(sessionId);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    for (const channel of this.#channels.values()) {
      for (const controller of channel.turns.values()) controller.abort();
      for (const socket of channel.sockets)
        socket.close(errorCodes.SERVER_SHUTTING_DOWN.webSocketCloseCode, "server shutting down");
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
