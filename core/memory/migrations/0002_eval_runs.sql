-- Up Migration
-- Eval runs (rta eval with DATABASE_URL): a row per run, a row per case result. Databases that held
-- them before migrations existed keep their tables (IF NOT EXISTS) and gain the renamed column.
CREATE TABLE IF NOT EXISTS eval_runs (
  run_id text PRIMARY KEY,
  suite text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  wall_time_ms integer NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  config jsonb NOT NULL,
  machine jsonb NOT NULL,
  judge jsonb,
  metrics jsonb NOT NULL,
  breakdown jsonb NOT NULL,
  latency jsonb NOT NULL,
  report_location text
);
CREATE TABLE IF NOT EXISTS eval_case_results (
  run_id text NOT NULL REFERENCES eval_runs (run_id) ON DELETE CASCADE,
  case_id text NOT NULL,
  repeat integer NOT NULL,
  category text NOT NULL,
  passed boolean NOT NULL,
  input text NOT NULL,
  output text NOT NULL,
  expected text NOT NULL,
  scores jsonb NOT NULL,
  tags jsonb NOT NULL,
  "values" jsonb NOT NULL,
  tool_calls jsonb NOT NULL,
  time_to_first_token_ms double precision,
  total_ms double precision NOT NULL,
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  cost_usd double precision,
  error jsonb,
  PRIMARY KEY (run_id, case_id, repeat)
);
ALTER TABLE eval_case_results ADD COLUMN IF NOT EXISTS time_to_first_token_ms double precision;
CREATE INDEX IF NOT EXISTS eval_runs_suite_started ON eval_runs (suite, started_at DESC);

-- Down Migration
DROP TABLE eval_case_results;
DROP TABLE eval_runs;
