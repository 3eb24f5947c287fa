/** What a query returns: its rows, typed by the caller. */
export interface SqlResult<Row> {
  rows: Row[];
}

/** Runs statements with `$1`-style parameters. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
}

/**
 * A PostgreSQL database, whether a server reached through pg (postgres-client.ts) or PGlite embedded in
 * this process (pglite-client.ts): both run the same SQL and the same migrations.
 */
export interface SqlClient extends SqlExecutor {
  readonly kind: "postgres" | "pglite";
  /** The schema its tables live in. */
  readonly schema: string;
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * One connection for a tool that sends BEGIN/COMMIT itself (the migration runner), given back after
   * `work`. Multi-statement text without parameters is allowed on it.
   */
  withConnection<T>(work: (connection: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
