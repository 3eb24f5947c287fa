import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openaiStream } from "realtime-agent/testing";

/**
 * An OpenAI-compatible Chat Completions endpoint on loopback that answers every streamed request the
 * same way (its documented SSE chunks, `chunks` words `pauseMs` apart), for as long as it runs. Set
 * `failing` and it answers 503 with OpenAI's error body instead: a provider that is down.
 */
export class EndlessOpenAIServer {
  failing = false;
  requests = 0;
  readonly #server: Server;
  readonly #events: string[];
  readonly #pauseMs: number;

  constructor(options: { chunks?: number; pauseMs?: number } = {}) {
    const words = Array.from({ length: options.chunks ?? 12 }, (_, index) => `word${index} `);
    this.#events = openaiStream.text(words);
    this.#pauseMs = options.pauseMs ?? 15;
    this.#server = createServer(async (request, response) => {
      for await (const _ of request) {
        // The body is read and not needed: every request gets the same answer.
      }
      this.requests++;
      if (this.failing) {
        response.writeHead(503, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "The server is overloaded.", type: "server_error" } }));
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const event of this.#events) {
        if (response.destroyed) return;
        response.write(event);
        await new Promise((resolve) => setTimeout(resolve, this.#pauseMs));
      }
      response.end();
    });
  }

  /** Starts listening; resolves with the API's base URL (…/v1). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/v1`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
