import WebSocket from "ws";
import { z } from "zod";
import type { TurnDriver, TurnObservation, TurnRequest } from "./types.ts";

const frameSchema = z.object({
  type: z.string(),
  seq: z.number(),
  session_id: z.string(),
  content: z.record(z.string(), z.unknown()),
});

/**
 * Drives a running server over the WebSocket protocol (rta.v1): one socket per session, kept open
 * across that session's turns. `target` is the base, e.g. ws://127.0.0.1:3000/ws.
 */
export class WebSocketDriver implements TurnDriver {
  readonly name: string;
  readonly supportsCustomTools = false;
  readonly #target: string;
  readonly #sockets = new Map<string, Promise<WebSocket>>();
  readonly #timeoutMs: number;

  constructor(target: string, options: { timeoutMs?: number } = {}) {
    this.#target = target.replace(/\/+$/, "");
    this.name = this.#target;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
  }

  #socket(sessionId: string): Promise<WebSocket> {
    let socket = this.#sockets.get(sessionId);
    if (!socket) {
      socket = new Promise((resolve, reject) => {
        const connection = new WebSocket(`${this.#target}/${encodeURIComponent(sessionId)}`);
        connection.once("open", () => resolve(connection));
        connection.once("error", reject);
      });
      socket.catch(() => this.#sockets.delete(sessionId));
      this.#sockets.set(sessionId, socket);
    }
    return socket;
  }

  async runTurn(request: TurnRequest): Promise<TurnObservation> {
    if (request.tools || request.systemPrompt || request.stopAfterToolCalls || request.history) {
      throw new Error("A server over WebSocket runs its own tools and prompt; this suite must run in-process.");
    }
    const socket = await this.#socket(request.sessionId);
    const started = performance.now();
    const observation: TurnObservation = {
      text: "",
      toolCalls: [],
      toolResults: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      ttftMs: undefined,
      totalMs: 0,
      provider: "",
      model: "",
    };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No answer from ${this.#target} within ${this.#timeoutMs} ms.`));
      }, this.#timeoutMs);
      const onClose = () => {
        cleanup();
        reject(new Error("The server closed the connection mid-turn."));
      };
      const onMessage = (data: WebSocket.RawData) => {
        const parsed = frameSchema.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) return;
        const { type, content } = parsed.data;
        if (type === "agent_response_chunk") {
          observation.ttftMs ??= performance.now() - started;
          observation.text += String(content.text ?? "");
        } else if (type === "tool_call") {
          observation.toolCalls.push({
            name: String(content.name),
            arguments: (content.arguments ?? {}) as Record<string, unknown>,
          });
        } else if (type === "tool_result") {
          observation.toolResults.push({
            name: String(content.name),
            result: content.result,
            ...(content.error ? { error: content.error as { code: string; message: string } } : {}),
          });
        } else if (type === "agent_response_complete") {
          const usage = content.usage as { input_tokens?: number; output_tokens?: number } | undefined;
          observation.text = String(content.text ?? observation.text);
          observation.usage = { inputTokens: usage?.input_tokens ?? 0, outputTokens: usage?.output_tokens ?? 0 };
          observation.provider = String(content.provider ?? "");
          observation.model = String(content.model ?? "");
          if (typeof content.cost_usd === "number") observation.costUsd = content.cost_usd;
          cleanup();
          resolve();
        } else if (type === "error") {
          observation.error = { code: String(content.code), message: String(content.message) };
          cleanup();
          resolve();
        }
      };
      const cleanup = () => {
        clearTimeout(timer);
        socket.off("message", onMessage);
        socket.off("close", onClose);
      };
      socket.on("message", onMessage);
      socket.once("close", onClose);
      socket.send(JSON.stringify({ type: "user_message", content: { text: request.text } }));
    });
    observation.totalMs = performance.now() - started;
    return observation;
  }

  async close(): Promise<void> {
    const sockets = await Promise.allSettled(this.#sockets.values());
    for (const socket of sockets) if (socket.status === "fulfilled") socket.value.close();
    this.#sockets.clear();
  }
}
