import { Redis } from "ioredis";
import {
  Agent,
  BufferedSessionStore,
  migrate,
  postgresClient,
  RedisSessionStore,
  SqlSessionStore,
  type StoreHealth,
  silentLogger,
  TieredSessionStore,
} from "realtime-agent";
import { echoModel, TcpProxy } from "realtime-agent/testing";
import { type AgentServer, createAgentServer } from "../app.ts";
import { InMemoryRateLimiter } from "../ws/rate-limiter.ts";

export interface StoreFaultServer {
  server: AgentServer;
  store: TieredSessionStore;
  durable: BufferedSessionStore;
  /** Proxies in front of the machine's Redis and PostgreSQL: `cut()` one to take that service away. */
  redisProxy: TcpProxy;
  postgresProxy: TcpProxy;
  http: string;
  ws: string;
  /** Stops everything and removes the schema and keys it made. */
  close(): Promise<void>;
}

/**
 * A real server on Redis in front of the machine's PostgreSQL, each reached through a TCP proxy, with
 * the echo model and message rates lifted (every client is one address): for fault tests and the fault
 * script (benchmarks/faults). Tables go in `schema`, keys under `keyPrefix`; both are removed on close.
 */
export async function startStoreFaultServer(options: {
  databaseUrl: string;
  schema: string;
  keyPrefix: string;
  retryMs?: number;
  maxRetryMs?: number;
  onHealthChange?: (health: StoreHealth) => void;
}): Promise<StoreFaultServer> {
  const [redisProxy, postgresProxy] = await Promise.all([TcpProxy.start(6379), TcpProxy.start(5432)]);
  const redis = new Redis(redisProxy.port, "127.0.0.1", {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  redis.on("error", () => {});
  const url = new URL(options.databaseUrl);
  url.port = String(postgresProxy.port);
  const client = postgresClient({ connectionString: url.toString(), schema: options.schema, connectTimeoutMs: 1_000 });
  await migrate(client);
  let server: AgentServer | undefined;
  const durable = new BufferedSessionStore(new SqlSessionStore(client), {
    ...(options.retryMs ? { retryMs: options.retryMs } : {}),
    ...(options.maxRetryMs ? { maxRetryMs: options.maxRetryMs } : {}),
    onHealthChange: (health) => {
      options.onHealthChange?.(health);
      server?.announceStoreHealth(health);
    },
  });
  const store = new TieredSessionStore(new RedisSessionStore(redis, { keyPrefix: options.keyPrefix }), durable);
  server = createAgentServer({
    agent: new Agent({ model: echoModel({ delayMs: 5 }), store }),
    logger: silentLogger,
    gateway: { messageRate: new InMemoryRateLimiter({ burst: 100_000, perSecond: 100_000 }) },
  });
  const { port } = await server.listen(0);
  const started = server;
  return {
    server: started,
    store,
    durable,
    redisProxy,
    postgresProxy,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    async close() {
      await started.close();
      await store.close();
      redis.disconnect();
      await Promise.all([redisProxy.close(), postgresProxy.close()]);
      const admin = postgresClient({ connectionString: options.databaseUrl });
      await admin.query(`DROP SCHEMA IF EXISTS ${options.schema} CASCADE`);
      await admin.close();
      const cleanup = new Redis(6379, "127.0.0.1");
      const keys = await cleanup.keys(`${options.keyPrefix}*`);
      if (keys.length) await cleanup.del(...keys);
      cleanup.disconnect();
    },
  };
}
