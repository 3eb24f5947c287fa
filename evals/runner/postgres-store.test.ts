import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresRunStore } from "./postgres-store.ts";
import type { RunReport } from "./types.ts";

// Real PostgreSQL, as on every development and CI machine (127.0.0.1:5432, trust auth).
const databaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const store = new PostgresRunStore(databaseUrl);
const runId = `test-${randomUUID()}`;

afterAll(async () => {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  await pool.query("DELETE FROM eval_runs WHERE run_id = $1", [runId]);
  await pool.end();
  await store.close();
});

const report: RunReport = {
  schema_version: 2,
  run_id: runId,
  suite: "persistence-test",
  description: "d",
  started_at: new Date().toISOString(),
  finished_at: new Date().toISOString(),
  wall_time_ms: 12,
  config: {
    target: "in-process",
    provider: "scripted",
    model: "scripted",
    repeat: 2,
    limit: null,
    concurrency: 1,
    seed: 1,
    tool_routing: "off",
  },
  machine: { cores: 2, cpu_model: "cpu", node: "v20", platform: "linux-x64" },
  judge: null,
  metrics: {
    accuracy: {
      value: 0.5,
      ci_low: 0,
      ci_high: 1,
      n: 1,
      unit: "ratio",
      gate: true,
      higher_is_better: true,
      description: "",
    },
  },
  breakdown: {},
  latency: { time_to_first_token_ms: null, total_ms: { p50: 1, p90: 1, p99: 1, histogram: [] } },
  cases: [0, 1].map((repeat) => ({
    id: "case-1",
    category: "c",
    repeat,
    input: "in",
    output: "out",
    expected: "exp",
    scores: { check: { score: repeat, pass: repeat === 1, reason: "r" } },
    tags: { label: "safe" },
    values: { refused: 0 },
    time_to_first_token_ms: repeat === 1 ? 12.5 : null,
    total_ms: 5,
    usage: { input_tokens: 3, output_tokens: 4 },
    cost_usd: 0,
    tool_calls: [{ name: "calculator", arguments: { expression: "1+1" } }],
  })),
};

describe("PostgresRunStore", () => {
  it("saves a run and its case results, and lists it", async () => {
    await store.save(report, "/tmp/report.json");
    const listed = await store.list({ suite: "persistence-test" });
    expect(listed.find((run) => run.run_id === runId)).toMatchObject({
      suite: "persistence-test",
      cases: 2,
      model: "scripted/scripted",
      headline: "accuracy 0.500",
    });
    const rows = await store.caseResults(runId);
    expect(rows.map((row) => row.passed)).toEqual([false, true]);
    const pool = new pg.Pool({ connectionString: databaseUrl });
    const { rows: timings } = await pool.query(
      "SELECT time_to_first_token_ms, total_ms, input_tokens FROM eval_case_results WHERE run_id = $1 ORDER BY repeat",
      [runId],
    );
    await pool.end();
    expect(timings).toEqual([
      { time_to_first_token_ms: null, total_ms: 5, input_tokens: 3 },
      { time_to_first_token_ms: 12.5, total_ms: 5, input_tokens: 3 },
    ]);
  });

  it("refuses to save the same run twice, leaving the first intact", async () => {
    await expect(store.save(report)).rejects.toThrow(/duplicate key/);
    expect(await store.caseResults(runId)).toHaveLength(2);
  });
});
