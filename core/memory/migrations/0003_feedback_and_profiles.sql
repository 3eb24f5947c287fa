-- Up Migration
-- Ratings of answers and what users prefer, kept beside their sessions: written by the feedback and
-- profile features (issue 15); deleted with the session or the user (ON DELETE CASCADE, owner).
CREATE TABLE feedback (
  id bigserial PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  turn_id text NOT NULL,
  owner text NOT NULL,
  -- An explicit rating (-1, 0, 1) or an implicit signal's strength; `kind` says which.
  kind text NOT NULL CHECK (kind IN ('rating', 'rephrased', 'abandoned', 'clarification', 'comment')),
  score double precision,
  comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_session ON feedback (session_id);
CREATE INDEX feedback_owner ON feedback (owner);

CREATE TABLE user_profiles (
  owner text PRIMARY KEY,
  -- Preferences learned from interactions (answer length, language, style, tools, topics), as JSON.
  preferences jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE user_profiles;
DROP TABLE feedback;
