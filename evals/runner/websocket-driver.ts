import { connect, type RealtimeClient, type ServerFrame, type TurnEndFrame } from "realtime-agent/client";
import { emptyObservation, type TurnDriver, type TurnObservation, type TurnRequest } from "./types.ts";

/**
 * Drives a running server over the WebSocket protocol (rta.v1) with the typed client: one connection
 * per session, kept open across that session's turns (a dropped connection resumes; after a few failed
 * attempts the turn fails). `target` is the base, e.g. ws://127.0.0.1:3000/ws.
 */
export class WebSocketDriver implements TurnDriver {
  readonly name: string;
  readonly supportsCustomTools = false;
  readonly #target: string;
  readonly #clients = new Map<string, Promise<RealtimeClient>>();
  readonly #timeoutMs: number;

  constructor(target: string, options: { timeoutMs?: number } = {}) {
    this.#target = target.replace(/\/+$/, "");
    this.name = this.#target;
    this.#timeoutMs = options.timeoutMs ?? 120_000;
  }

  #client(sessionId: string): Promise<RealtimeClient> {
    let client = this.#clients.get(sessionId);
    if (!client) {
      client = connect(this.#target, { sessionId, resume: { maxAttempts: 3 } });
      client.catch(() => this.#clients.delete(sessionId));
      this.#clients.set(sessionId, client);
    }
    return client;
  }

  async runTurn(request: TurnRequest): Promise<TurnObservation> {
    if (request.tools || request.systemPrompt || request.planOnly || request.history || request.owner) {
      throw new Error(
        "A server over WebSocket runs its own tools and prompt, and its key names the user; this suite must run in-process.",
      );
    }
    const client = await this.#client(request.sessionId);
    const started = performance.now();
    const observation: TurnObservation = emptyObservation();
    const turn = client.send(request.text, request.reasoning ? { reasoning: request.reasoning } : {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        turn.cancel();
        reject(new Error(`No answer from ${this.#target} within ${this.#timeoutMs} ms.`));
      }, this.#timeoutMs);
    });
    const observe = async () => {
      for await (const frame of turn) observeFrame(observation, frame, started);
    };
    try {
      await Promise.race([observe(), timedOut]);
    } finally {
      clearTimeout(timer);
    }
    observation.totalMs = performance.now() - started;
    return observation;
  }

  async close(): Promise<void> {
    const clients = await Promise.allSettled(this.#clients.values());
    this.#clients.clear();
    await Promise.all(clients.map((client) => (client.status === "fulfilled" ? client.value.close() : undefined)));
  }
}

function observeFrame(observation: TurnObservation, frame: ServerFrame, started: number): void {
  switch (frame.type) {
    case "agent_response_chunk":
      observation.timeToFirstTokenMs ??= performance.now() - started;
      observation.text += frame.content.text;
      break;
    case "tool_call":
      observation.toolCalls.push({ name: frame.content.name, arguments: frame.content.arguments });
      break;
    case "tool_result": {
      const { name, result, error } = frame.content;
      observation.toolResults.push({ name, result, ...(error ? { error } : {}) });
      break;
    }
    case "agent_response_complete":
    case "error":
      observeEnd(observation, frame);
      break;
  }
}

function observeEnd(observation: TurnObservation, frame: TurnEndFrame): void {
  if (frame.type === "error") {
    observation.error = { code: frame.content.code, message: frame.content.message };
    return;
  }
  const { text, usage, provider, model, cost_usd, confidence } = frame.content;
  observation.text = text;
  observation.usage = { inputTokens: usage.input_tokens, outputTokens: usage.output_tokens };
  observation.provider = provider;
  observation.model = model;
  if (cost_usd !== null) observation.costUsd = cost_usd;
  if (typeof confidence === "number") observation.confidence = confidence;
}
