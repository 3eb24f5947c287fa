import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RunnerOption } from "node-pg-migrate";
import type { SqlClient } from "./sql-client.ts";

/** Where the schema's migrations live: numbered SQL files with `-- Up Migration` / `-- Down Migration`. */
export const migrationsDirectory = fileURLToPath(new URL("../migrations", import.meta.url));
const migrationsTable = "rta_migrations";

export interface MigrationStatus {
  applied: { name: string; runOn: Date }[];
  pending: string[];
}

/**
 * Brings the database's schema up to date with node-pg-migrate (or takes back the last `count`
 * migrations with direction "down"), all in one transaction, under its advisory lock so that two
 * processes starting at once do not both migrate: the second waits for the first, then finds nothing
 * left to run. The lock is one per database, so migrating another schema also waits its turn.
 * Returns the names of the migrations it ran.
 */
export async function migrate(
  client: SqlClient,
  options: { direction?: "up" | "down"; count?: number } = {},
): Promise<string[]> {
  // Loaded on first use: node-pg-migrate takes ~100 ms to import, and most processes never migrate.
  const { runner } = await import("node-pg-migrate");
  return client.withConnection(async (connection) => {
    const ran = await runner({
      dbClient: connection as unknown as Extract<RunnerOption, { dbClient: unknown }>["dbClient"],
      dir: migrationsDirectory,
      migrationsTable,
      schema: client.schema,
      direction: options.direction ?? "up",
      ...(options.count !== undefined ? { count: options.count } : {}),
      checkOrder: true,
      singleTransaction: true,
      // node-pg-migrate's default, "fail", makes an instance that starts beside another one exit.
      advisoryLockMode: "wait",
      log: () => {},
    });
    return ran.map((migration) => migration.name);
  });
}

/** Which migrations this database has run (and when), and which it has yet to run. */
export async function migrationStatus(client: SqlClient): Promise<MigrationStatus> {
  const table = `"${client.schema}".${migrationsTable}`;
  const exists = await client.query<{ found: string | null }>("SELECT to_regclass($1) AS found", [table]);
  const applied = exists.rows[0]?.found
    ? (await client.query<{ name: string; run_on: Date }>(`SELECT name, run_on FROM ${table} ORDER BY run_on, id`)).rows
    : [];
  const names = new Set(applied.map((row) => row.name));
  return {
    applied: applied.map((row) => ({ name: row.name, runOn: row.run_on })),
    pending: migrationNames().filter((name) => !names.has(name)),
  };
}

function migrationNames(): string[] {
  return readdirSync(migrationsDirectory)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => file.replace(/\.sql$/, ""));
}
