import { resolve } from "node:path";
import type { Redis } from "ioredis";
import {
  BufferedSessionStore,
  InMemorySessionStore,
  type Logger,
  migrate,
  pgliteClient,
  postgresClient,
  RedisSessionStore,
  type SessionStore,
  type SqlClient,
  SqlSessionStore,
  type StoreHealth,
  TieredSessionStore,
} from "realtime-agent";

export type StoreKind = "memory" | "embedded" | "postgres";

export interface StoreConfig {
  /** memory: this process only; embedded: PGlite on `dataDir`; postgres: DATABASE_URL. */
  kind: StoreKind;
  dataDir: string;
  databaseUrl: string | undefined;
  /** A schema to keep the tables in instead of `public` (RTA_DATABASE_SCHEMA). */
  databaseSchema: string | undefined;
  /** Redis in front of the durable store, as hot context (REDIS_URL). */
  redisUrl: string | undefined;
  contextTurns: number;
  /** Sessions unused this long leave Redis (RTA_SESSION_TTL_HOURS, default 24). */
  hotTtlMs: number;
}

/**
 * RTA_STORE picks the store: `postgres` when DATABASE_URL is set, else `embedded` (PGlite in
 * RTA_DATA_DIR, default .rta/db), or `memory`. REDIS_URL adds Redis in front of a durable store.
 */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  const kind = (env.RTA_STORE || (databaseUrl ? "postgres" : "embedded")) as StoreKind;
  if (!["memory", "embedded", "postgres"].includes(kind))
    throw new Error(`RTA_STORE must be memory, embedded or postgres, got ${JSON.stringify(env.RTA_STORE)}.`);
  if (kind === "postgres" && !databaseUrl) throw new Error("RTA_STORE=postgres needs DATABASE_URL.");
  const contextTurns = Number(env.RTA_CONTEXT_TURNS || 50);
  if (!Number.isInteger(contextTurns) || contextTurns < 1)
    throw new Error(`RTA_CONTEXT_TURNS must be a positive integer, got ${JSON.stringify(env.RTA_CONTEXT_TURNS)}.`);
  const hours = Number(env.RTA_SESSION_TTL_HOURS || 24);
  if (!(hours > 0))
    throw new Error(
      `RTA_SESSION_TTL_HOURS must be a positive number, got ${JSON.stringify(env.RTA_SESSION_TTL_HOURS)}.`,
    );
  return {
    kind,
    dataDir: resolve(env.RTA_DATA_DIR || ".rta/db"),
    databaseUrl,
    databaseSchema: env.RTA_DATABASE_SCHEMA || undefined,
    redisUrl: env.REDIS_URL || undefined,
    contextTurns,
    hotTtlMs: hours * 60 * 60 * 1000,
  };
}

/** The database of a durable store: PostgreSQL (DATABASE_URL) or the embedded PGlite directory. */
export async function openSqlClient(config: StoreConfig): Promise<SqlClient> {
  if (config.kind === "memory") throw new Error("RTA_STORE=memory keeps no database.");
  return config.kind === "postgres"
    ? postgresClient({
        connectionString: config.databaseUrl as string,
        ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      })
    : pgliteClient(config.dataDir);
}

/** Where a durable store's data lives, for messages: "postgres (DATABASE_URL)", "pglite (/path)". */
export function storeLocation(config: StoreConfig): string {
  return config.kind === "postgres"
    ? "postgres (DATABASE_URL)"
    : config.kind === "embedded"
      ? `pglite (${config.dataDir})`
      : "memory (this process)";
}

export interface OpenedStore {
  store: SessionStore;
  /** What sessions run on, for /health and the start-up log ("redis+postgres", "pglite (.rta/db)"). */
  description: string;
}

/**
 * Opens the configured store, its schema migrated (node-pg-migrate, under its advisory lock). A
 * database that cannot be reached fails here, at start-up, with the reason. `redis` is the caller's
 * client (shared with the rate limiter), required when the config names REDIS_URL.
 */
export async function openSessionStore(
  config: StoreConfig,
  options: { redis?: Redis; logger?: Logger; onHealthChange?: (health: StoreHealth) => void } = {},
): Promise<OpenedStore> {
  if (config.kind === "memory")
    return {
      store: new InMemorySessionStore({ contextTurns: config.contextTurns }),
      description: "memory (this process)",
    };
  const client = await openSqlClient(config);
  try {
    await migrate(client);
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(
      `Could not prepare the ${client.kind} session database: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  // A database that goes away while serving: writes wait in this process (bounded) until it is back.
  const durable = new BufferedSessionStore(new SqlSessionStore(client, { contextTurns: config.contextTurns }), {
    contextTurns: config.contextTurns,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onHealthChange ? { onHealthChange: options.onHealthChange } : {}),
  });
  const where = storeLocation(config);
  if (!options.redis) return { store: durable, description: where };
  const hot = new RedisSessionStore(options.redis, {
    contextTurns: config.contextTurns,
    maxTurnsPerSession: Math.max(50, config.contextTurns),
    ttlMs: config.hotTtlMs,
  });
  return {
    store: new TieredSessionStore(hot, durable, {
      contextTurns: config.contextTurns,
      ...(options.logger ? { logger: options.logger } : {}),
    }),
    description: `redis (REDIS_URL) in front of ${where}`,
  };
}
