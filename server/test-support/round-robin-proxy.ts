import { connect, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  /** `host:port` the proxy listens on. */
  address: string;
  /** Which backend (index) each accepted connection went to, in order. */
  readonly routed: number[];
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback that sends each new connection to the next backend in turn, as a load
 * balancer without session affinity does: a client that reconnects lands on another instance.
 */
export async function startRoundRobinProxy(
  backends: readonly { host: string; port: number }[],
): Promise<RoundRobinProxy> {
  let next = 0;
  const routed: number[] = [];
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const index = next++ % backends.length;
    routed.push(index);
    const upstream = connect(backends[index]!);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    routed,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
