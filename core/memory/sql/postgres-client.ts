import pg from "pg";
import type { SqlClient, SqlExecutor, SqlResult } from "./sql-client.ts";

export interface PostgresClientOptions {
  connectionString: string;
  /** A schema to work in instead of `public` (created if missing): tests get one each. */
  schema?: string;
  /** Connections kept at most (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection before failing (default 5 s). */
  connectTimeoutMs?: number;
  /** Statements running longer than this are cancelled by the server (default 15 s). */
  statementTimeoutMs?: number;
}

/** PostgreSQL through a pg connection pool (DATABASE_URL). */
export function postgresClient(options: PostgresClientOptions): SqlClient {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`Schema names are lower-case letters, digits and _, got "${schema}".`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection that breaks (the server restarted) is dropped by the pool; without a listener
  // its error would crash the process.
  pool.on("error", () => {});
  let schemaReady: Promise<void> | undefined;
  const ready = () => {
    schemaReady ??= schema
      ? pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(
          () => undefined,
          (error: unknown) => {
            // Two processes creating it at once: "IF NOT EXISTS" does not stop the loser's unique violation.
            if (isDuplicateSchema(error)) return;
            schemaReady = undefined;
            throw error;
          },
        )
      : Promise.resolve();
    return schemaReady;
  };
  const executor = (client: pg.PoolClient): SqlExecutor => ({
    query: async <Row>(text: string, params?: readonly unknown[]) =>
      (await client.query(text, params as unknown[] | undefined)) as unknown as SqlResult<Row>,
  });
  return {
    kind: "postgres",
    schema: schema ?? "public",
    async query<Row>(text: string, params?: readonly unknown[]) {
      await ready();
      return (await pool.query(text, params as unknown[] | undefined)) as unknown as SqlResult<Row>;
    },
    async transaction(work) {
      await ready();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(executor(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withConnection(work) {
      await ready();
      const client = await pool.connect();
      try {
        return await work(executor(client));
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function isDuplicateSchema(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "42P06";
}
