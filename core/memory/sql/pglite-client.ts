import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./data-dir-lock.ts";
import type { SqlClient, SqlExecutor } from "./sql-client.ts";

/**
 * PostgreSQL's default shared buffers (128 MB) cost the process ~340 MB resident; sessions need far
 * less: 16 MB brings PGlite to ~190 MB (measured on a reopened directory, 500 small queries).
 */
const sharedBuffers = "16MB";

/**
 * Opens PGlite with small shared buffers. The setting takes effect at start, so a directory that does
 * not have it yet (a new one: initdb itself holds ~650 MB until its instance is collected) is opened,
 * set, closed and opened again; an in-memory database keeps the default.
 */
async function openSmall(dataDir: string | undefined): Promise<PGlite> {
  const db = await PGlite.create(dataDir);
  if (!dataDir) return db;
  const current = await db.query<{ shared_buffers: string }>("SHOW shared_buffers");
  if (current.rows[0]?.shared_buffers === sharedBuffers) return db;
  await db.exec(`ALTER SYSTEM SET shared_buffers = '${sharedBuffers}'`);
  await db.close();
  return PGlite.create(dataDir);
}

/**
 * PostgreSQL compiled to WebAssembly, in this process, on a data directory: the embedded default, with
 * nothing to install or start, that keeps its data across restarts (written through on each commit).
 * `dataDir` undefined keeps everything in memory. One connection: statements run one at a time.
 */
export async function pgliteClient(dataDir: string | undefined): Promise<SqlClient> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  let db: PGlite;
  try {
    db = await openSmall(dataDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const executor: SqlExecutor = {
    // Without parameters, text may hold several statements (a migration file): `exec` runs them all.
    query: async (text, params) => {
      if (params?.length) return db.query(text, params as unknown[]);
      const results = await db.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as never[] };
    },
  };
  return {
    kind: "pglite",
    schema: "public",
    query: async (text, params) => db.query(text, params as unknown[] | undefined),
    transaction: (work) =>
      db.transaction((transaction) =>
        work({ query: (text, params) => transaction.query(text, params as unknown[] | undefined) }),
      ),
    withConnection: (work) => work(executor),
    close: async () => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
