import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (
  url: URL,
  headers: Record<string, string | string[] | undefined>,
) => { status?: number; body: unknown } | "hang" | undefined;

/**
 * A loopback HTTP server answering GETs from route functions, recording each request URL. A route
 * that returns "hang" accepts the request and never answers (until the client gives up or `close`).
 */
export class JsonApiServer {
  readonly requests: URL[] = [];
  readonly headers: Record<string, string | string[] | undefined>[] = [];
  #server: Server | undefined;
  url = "";

  constructor(private readonly route: Route) {}

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", this.url);
      this.requests.push(url);
      this.headers.push(request.headers);
      const answer = this.route(url, request.headers);
      if (answer === "hang") return;
      if (!answer) return response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
      response
        .writeHead(answer.status ?? 200, { "content-type": "application/json" })
        .end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }
}
