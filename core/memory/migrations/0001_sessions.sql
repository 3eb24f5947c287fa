-- Up Migration
-- Conversations: a session (who owns it, when it started, when it was last used), its turns, the
-- messages of each turn (the user's and the answer), the tool calls in between, and each turn's timings.
CREATE TABLE sessions (
  session_id text PRIMARY KEY,
  owner text NOT NULL,
  summary text,
  -- How many turns the summary covers (the rolling summary is rewritten every K turns).
  summarized_turns integer NOT NULL DEFAULT 0,
  turn_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_active_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_owner ON sessions (owner);
CREATE INDEX sessions_last_active ON sessions (last_active_at);

CREATE TABLE turns (
  id bigserial PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  -- The turn's place in its session, from 1.
  seq integer NOT NULL,
  turn_id text NOT NULL,
  model text NOT NULL,
  input_tokens integer NOT NULL,
  output_tokens integer NOT NULL,
  error jsonb,
  created_at timestamptz NOT NULL,
  UNIQUE (session_id, seq)
);

CREATE TABLE messages (
  turn_row bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  PRIMARY KEY (turn_row, role)
);

CREATE TABLE tool_calls (
  turn_row bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
  position integer NOT NULL,
  call_id text NOT NULL,
  name text NOT NULL,
  arguments jsonb NOT NULL,
  result jsonb,
  error jsonb,
  PRIMARY KEY (turn_row, position)
);
CREATE INDEX tool_calls_name ON tool_calls (name);

-- A turn's timings in milliseconds: time_to_first_token, total, and each step of the turn loop
-- (step.loadContext, step.inputGuard, step.model, step.tools, step.store).
CREATE TABLE turn_timings (
  turn_row bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
  name text NOT NULL,
  milliseconds double precision NOT NULL,
  PRIMARY KEY (turn_row, name)
);

-- Down Migration
DROP TABLE turn_timings;
DROP TABLE tool_calls;
DROP TABLE messages;
DROP TABLE turns;
DROP TABLE sessions;
