import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of a server, for tests that break connections the way a network does:
 * `dropConnections` cuts every open connection on both sides, `holdNewConnections` makes new ones wait
 * (their bytes stay buffered) until released, `cut` drops every connection and refuses new ones until
 * `restore` (a service gone from the network), `close` stops accepting so connecting fails,
 * `discardClientBytes` loses what clients write (a link about to break) until `dropConnections`.
 */
export class TcpProxy {
  readonly port: number;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #hold: Promise<void> = Promise.resolve();
  #refusing = false;
  #accepted = 0;
  #discarding = false;
  #discarded = 0;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static start(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => {
      if (proxy) void proxy.#pipe(client, targetPort, targetHost);
      else client.destroy();
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        if (typeof address !== "object" || address === null) return reject(new Error("no address"));
        proxy = new TcpProxy(server, address.port);
        resolve(proxy);
      });
    });
  }

  /** Connections accepted so far. */
  get accepted(): number {
    return this.#accepted;
  }

  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    this.#discarding = false;
  }

  /** Bytes clients write on the connections open now are lost, until `dropConnections`. */
  discardClientBytes(): void {
    this.#discarding = true;
  }

  /** Bytes lost so far by `discardClientBytes`. */
  get discardedBytes(): number {
    return this.#discarded;
  }

  /** Drops every connection and refuses new ones until `restore`. */
  cut(): void {
    this.#refusing = true;
    this.dropConnections();
  }

  restore(): void {
    this.#refusing = false;
  }

  /** New connections wait until the returned function is called. */
  holdNewConnections(): () => void {
    let release!: () => void;
    this.#hold = new Promise((resolve) => {
      release = resolve;
    });
    return release;
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #pipe(client: Socket, targetPort: number, targetHost: string): Promise<void> {
    if (this.#refusing) {
      client.destroy();
      return;
    }
    this.#accepted++;
    this.#sockets.add(client);
    client.on("error", () => undefined);
    await this.#hold;
    if (client.destroyed) return;
    const upstream = connect(targetPort, targetHost);
    this.#sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("data", (chunk: Buffer) => {
      if (this.#discarding) this.#discarded += chunk.length;
      else if (!upstream.write(chunk)) {
        client.pause();
        upstream.once("drain", () => client.resume());
      }
    });
    upstream.pipe(client);
  }
}
