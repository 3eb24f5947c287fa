import WebSocket from "ws";
import {
  parseServerFrame,
  type ServerFrame,
  type ServerFrameEnvelope,
  type ServerFrameType,
} from "realtime-agent/client";

/** The frame, typed by its `type`; throws when it is missing or has another type. */
export function frameOfType<Type extends ServerFrameType>(
  frame: ServerFrame | undefined,
  type: Type,
): ServerFrameEnvelope<Type> {
  if (frame?.type !== type) throw new Error(`Expected a ${type} frame, got ${frame?.type ?? "none"}.`);
  return frame as ServerFrameEnvelope<Type>;
}

/**
 * A raw WebSocket client for tests of the protocol itself: it sends anything (malformed frames
 * included), decodes every frame with the client's `parseServerFrame` and waits for the ones a test
 * expects. Code that just talks to the server uses the typed client (realtime-agent/client).
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly socket: WebSocket;
  readonly #waiters: Array<() => void> = [];

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on("message", (data) => {
      this.frames.push(parseServerFrame(data.toString()));
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      const client = new TestClient(socket);
      socket.once("open", () => resolve(client));
      socket.once("error", reject);
      socket.once("unexpected-response", (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
  }

  send(data: unknown): void {
    this.socket.send(typeof data === "string" ? data : JSON.stringify(data));
  }

  /** Waits until a frame after index `from` matches, and returns the frames from `from` up to it. */
  async waitFor(
    predicate: (frame: ServerFrame) => boolean,
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<ServerFrame[]> {
    const from = options.from ?? 0;
    // A hang guard, not a latency check: a loaded machine may take minutes (work is bounded by tokens).
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    for (;;) {
      const index = this.frames.findIndex((frame, position) => position >= from && predicate(frame));
      if (index >= 0) return this.frames.slice(from, index + 1);
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(
          `Timed out; frames so far: ${JSON.stringify(this.frames.slice(from).map((frame) => frame.type))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a message and returns the frames of its turn, up to the terminal frame. */
  async turn(data: unknown): Promise<ServerFrame[]> {
    const from = this.frames.length;
    this.send(data);
    return this.waitFor((frame) => frame.type === "agent_response_complete" || frame.type === "error", { from });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once("close", () => resolve());
      this.socket.close();
    });
  }
}
