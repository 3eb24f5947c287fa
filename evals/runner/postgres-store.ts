import { migrate, postgresClient, type SqlClient } from "realtime-agent";
import { headlineOf, type RunListing } from "./file-store.ts";
import type { RunReport } from "./types.ts";

/**
 * Eval runs in PostgreSQL (DATABASE_URL): a row per run in eval_runs, a row per case result in
 * eval_case_results, in the schema the session store's migrations keep (core/memory/migrations).
 */
export class PostgresRunStore {
  readonly #client: SqlClient;
  #ready: Promise<unknown> | undefined;

  constructor(connectionString: string, options: { schema?: string } = {}) {
    this.#client = postgresClient({ connectionString, maxConnections: 2, ...options });
  }

  async #ensureSchema(): Promise<void> {
    this.#ready ??= migrate(this.#client);
    await this.#ready;
  }

  async save(report: RunReport, location?: string): Promise<void> {
    await this.#ensureSchema();
    await this.#client.transaction(async (client) => {
      await client.query(
        `INSERT INTO eval_runs (run_id, suite, started_at, finished_at, wall_time_ms, provider, model, config, machine, judge, metrics, breakdown, latency, report_location)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
        [
          report.run_id,
          report.suite,
          report.started_at,
          report.finished_at,
          report.wall_time_ms,
          report.config.provider,
          report.config.model,
          report.config,
          report.machine,
          report.judge,
          report.metrics,
          report.breakdown,
          report.latency,
          location ?? null,
        ],
      );
      for (const result of report.cases) {
        await client.query(
          `INSERT INTO eval_case_results (run_id, case_id, repeat, category, passed, input, output, expected, scores, tags, "values", tool_calls, time_to_first_token_ms, total_ms, input_tokens, output_tokens, cost_usd, error)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)`,
          [
            report.run_id,
            result.id,
            result.repeat,
            result.category,
            !result.error && Object.values(result.scores).every((score) => score.pass),
            result.input,
            result.output,
            result.expected,
            result.scores,
            result.tags,
            result.values,
            JSON.stringify(result.tool_calls),
            result.time_to_first_token_ms,
            result.total_ms,
            result.usage.input_tokens,
            result.usage.output_tokens,
            result.cost_usd,
            result.error ?? null,
          ],
        );
      }
    });
  }

  async list(options: { suite?: string; limit?: number } = {}): Promise<RunListing[]> {
    await this.#ensureSchema();
    const { rows } = await this.#client.query<{
      run_id: string;
      suite: string;
      started_at: Date;
      provider: string;
      model: string;
      metrics: RunReport["metrics"];
      report_location: string | null;
      cases: number;
    }>(
      `SELECT r.run_id, r.suite, r.started_at, r.provider, r.model, r.metrics, r.report_location,
              (SELECT count(*) FROM eval_case_results c WHERE c.run_id = r.run_id)::int AS cases
         FROM eval_runs r WHERE ($1::text IS NULL OR r.suite = $1) ORDER BY r.started_at DESC LIMIT $2`,
      [options.suite ?? null, options.limit ?? 50],
    );
    return rows.map((row) => ({
      run_id: row.run_id,
      suite: row.suite,
      started_at: new Date(row.started_at).toISOString(),
      model: `${row.provider}/${row.model}`,
      cases: row.cases,
      headline: headlineOf(row.metrics),
      location: row.report_location ?? `postgres:${row.run_id}`,
    }));
  }

  async caseResults(runId: string): Promise<{ case_id: string; passed: boolean; scores: unknown }[]> {
    const { rows } = await this.#client.query<{ case_id: string; passed: boolean; scores: unknown }>(
      "SELECT case_id, passed, scores FROM eval_case_results WHERE run_id = $1 ORDER BY case_id, repeat",
      [runId],
    );
    return rows;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
