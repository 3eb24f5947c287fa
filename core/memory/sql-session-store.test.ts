import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runSessionStoreContract } from "../testing/contracts/session-store.ts";
import { runFeedbackStoreContract } from "../testing/contracts/feedback-store.ts";
import { runProfileStoreContract } from "../testing/contracts/profile-store.ts";
import { SqlSessionStore } from "./sql-session-store.ts";
import { migrate, migrationStatus } from "./sql/migrate.ts";
import { pgliteClient } from "./sql/pglite-client.ts";
import { postgresClient } from "./sql/postgres-client.ts";

const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// A schema of its own for this run, dropped at the end: runs never see each other's rows.
const schema = `rta_test_${process.pid}_${Date.now().toString(36)}`;
const dataDir = mkdtempSync(join(tmpdir(), "rta-pglite-"));

let migrated: Promise<unknown> | undefined;
const postgresStore = async () => {
  const client = postgresClient({ connectionString: databaseUrl, schema, maxConnections: 4 });
  migrated ??= migrate(client);
  await migrated;
  return new SqlSessionStore(client, { contextTurns: 4 });
};
const pgliteStore = async () => {
  const client = await pgliteClient(dataDir);
  await migrate(client);
  return new SqlSessionStore(client, { contextTurns: 4 });
};

afterAll(async () => {
  const admin = postgresClient({ connectionString: databaseUrl });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

runSessionStoreContract({ name: "postgres", createStore: postgresStore, contextTurns: 4 });
runSessionStoreContract({ name: "pglite", createStore: pgliteStore, contextTurns: 4 });
runFeedbackStoreContract({ name: "postgres", createStore: postgresStore });
runProfileStoreContract({ name: "postgres", createStore: postgresStore });
runProfileStoreContract({ name: "pglite", createStore: pgliteStore });

const turn = {
  turnId: "t1",
  userText: "I have 300,000 yen for the trip",
  assistantText: "Noted: 300,000 yen.",
  toolCalls: [],
  usage: { inputTokens: 10, outputTokens: 5 },
  model: "m",
  createdAt: "2026-11-27T10:00:00.000Z",
};

describe("SQL session store", () => {
  it("embedded (PGlite): a session survives closing and reopening the data directory", async () => {
    const first = await pgliteStore();
    await first.appendTurn("restart-1", turn);
    await first.setSummary("restart-1", "A trip to Japan on a budget.");
    await first.close();
    const second = await pgliteStore();
    expect(await second.load("restart-1")).toMatchObject({
      sessionId: "restart-1",
      summary: "A trip to Japan on a budget.",
      recentTurns: [turn],
    });
    await second.close();
  });

  it("records the owner and counts the session's turns", async () => {
    const store = await postgresStore();
    const client = postgresClient({ connectionString: databaseUrl, schema });
    await store.appendTurn("owned-1", turn, { owner: "key:alice" });
    await store.appendTurn("owned-1", { ...turn, turnId: "t2" }, { owner: "key:alice" });
    const { rows } = await client.query<{ owner: string; turn_count: number }>(
      "SELECT owner, turn_count FROM sessions WHERE session_id = $1",
      ["owned-1"],
    );
    expect(rows).toEqual([{ owner: "key:alice", turn_count: 2 }]);
    await Promise.all([store.close(), client.close()]);
  });

  it("keeps NUL, which PostgreSQL text cannot hold, as U+FFFD; a value it refuses fails as STORE_REJECTED", async () => {
    const store = await postgresStore();
    await store.appendTurn("odd-1", { ...turn, userText: "a\u0000b" });
    expect((await store.history("odd-1"))[0]!.userText).toBe("a\uFFFDb");
    const unstorable = { ...turn, toolCalls: [{ callId: "c", name: "x", arguments: { text: "\u0000" } }] };
    await expect(store.appendTurn("odd-2", unstorable)).rejects.toMatchObject({
      code: "STORE_REJECTED",
      retryable: false,
    });
    await store.close();
  });

  it("deletes all of a user's data: sessions with their turns and feedback, and the profile", async () => {
    const store = await postgresStore();
    const client = postgresClient({ connectionString: databaseUrl, schema });
    await store.appendTurn("gdpr-1", turn, { owner: "key:carol" });
    await client.query(
      "INSERT INTO feedback (session_id, turn_id, owner, kind, score) VALUES ($1, $2, $3, 'rating', 1)",
      ["gdpr-1", "t1", "key:carol"],
    );
    await client.query("INSERT INTO user_profiles (owner, preferences) VALUES ($1, $2)", [
      "key:carol",
      JSON.stringify({ language: "es" }),
    ]);
    expect(await store.deleteOwner("key:carol")).toEqual(["gdpr-1"]);
    const left = await client.query<{ rows: number }>(
      `SELECT (SELECT count(*) FROM sessions WHERE owner = $1) + (SELECT count(*) FROM feedback WHERE owner = $1)
        + (SELECT count(*) FROM user_profiles WHERE owner = $1) + (SELECT count(*) FROM turns WHERE session_id = 'gdpr-1')
        AS rows`,
      ["key:carol"],
    );
    expect(Number(left.rows[0]!.rows)).toBe(0);
    await Promise.all([store.close(), client.close()]);
  });

  it("fails with a typed, retryable error when PostgreSQL cannot be reached", async () => {
    const store = new SqlSessionStore(
      postgresClient({ connectionString: "postgres://postgres@127.0.0.1:9/test", connectTimeoutMs: 1_000 }),
    );
    await expect(store.load("any")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", retryable: true });
    await store.close();
  });
});

describe("embedded database directory", () => {
  it("runs with small shared buffers (16 MB, not PostgreSQL's 128 MB), set on first open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rta-pglite-buffers-"));
    for (let open = 0; open < 2; open++) {
      const client = await pgliteClient(dir);
      const { rows } = await client.query<{ shared_buffers: string }>("SHOW shared_buffers");
      expect(rows).toEqual([{ shared_buffers: "16MB" }]);
      await client.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("is refused to a second opener while the first holds it, and free again once it closes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rta-pglite-lock-"));
    const first = await pgliteClient(dir);
    await expect(pgliteClient(dir)).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: expect.stringContaining(`in use by process ${process.pid}`),
    });
    await first.close();
    const second = await pgliteClient(dir);
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("migrations", () => {
  it("run once when several processes start together: the others wait for the lock, then find nothing to run", async () => {
    const racing = `${schema}_race`;
    const clients = [1, 2, 3].map(() =>
      postgresClient({ connectionString: databaseUrl, schema: racing, maxConnections: 1 }),
    );
    try {
      const ran = await Promise.all(clients.map((client) => migrate(client)));
      const counts = ran.map((names) => names.length).sort();
      expect(counts.slice(0, 2)).toEqual([0, 0]);
      expect(counts[2]).toBeGreaterThan(0);
      expect((await migrationStatus(clients[0]!)).pending).toEqual([]);
    } finally {
      await clients[0]?.query(`DROP SCHEMA IF EXISTS ${racing} CASCADE`);
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
