import type { TurnTimings, TurnStep } from "../contracts/events.ts";
import { messageOf, StoreError, UserInputError } from "../contracts/errors.ts";
import type { FeedbackKind, FeedbackQuery, FeedbackRecord, FeedbackStore } from "../contracts/feedback.ts";
import type { ProfileStore, UserProfile } from "../contracts/profile.ts";
import {
  type AppendOptions,
  localOwner,
  type SessionContext,
  type SessionInfo,
  type SessionStore,
  type ToolCallRecord,
  type TurnRecord,
} from "../contracts/store.ts";
import type { SqlClient } from "./sql/sql-client.ts";

export interface SqlSessionStoreOptions {
  /** How many recent turns `load` returns as context (default 50, the context window's kept turns). */
  contextTurns?: number;
}

interface TurnRow {
  turn_id: string;
  user_text: string;
  assistant_text: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  error: { code: string; message: string } | null;
  created_at: Date;
  tool_calls: {
    call_id: string;
    name: string;
    arguments: Record<string, unknown>;
    result: unknown;
    error: ToolCallRecord["error"] | null;
  }[];
  timings: Record<string, number> | null;
}

// A turn is written by one statement (sessions, turns, messages, tool_calls and turn_timings rows):
// one round trip, atomic without an explicit transaction.
const appendTurnSql = `
WITH session AS (
  INSERT INTO sessions AS existing (session_id, owner, turn_count, last_active_at)
  VALUES ($1, $2, 1, now())
  ON CONFLICT (session_id) DO UPDATE SET turn_count = existing.turn_count + 1, last_active_at = now()
  RETURNING turn_count
), turn AS (
  INSERT INTO turns (session_id, seq, turn_id, model, input_tokens, output_tokens, error, created_at)
  SELECT $1, session.turn_count, $3, $4, $5, $6, $7::jsonb, $8 FROM session
  RETURNING id
), message_rows AS (
  INSERT INTO messages (turn_row, role, content)
  SELECT turn.id, message.role, message.content FROM turn, (VALUES ('user', $9), ('assistant', $10)) AS message (role, content)
), call_rows AS (
  INSERT INTO tool_calls (turn_row, position, call_id, name, arguments, result, error)
  SELECT turn.id, call.position, call.value->>'callId', call.value->>'name', call.value->'arguments',
    call.value->'result', call.value->'error'
  FROM turn, jsonb_array_elements($11::jsonb) WITH ORDINALITY AS call (value, position)
), timing_rows AS (
  INSERT INTO turn_timings (turn_row, name, milliseconds)
  SELECT turn.id, timing.key, timing.value::text::double precision
  FROM turn, jsonb_each($12::jsonb) AS timing
)
SELECT 1`;

// The newest turns first (the caller reverses them), each with its messages, calls and timings.
const recentTurnsSql = `
SELECT t.turn_id, t.model, t.input_tokens, t.output_tokens, t.error, t.created_at,
  (SELECT content FROM messages WHERE turn_row = t.id AND role = 'user') AS user_text,
  (SELECT content FROM messages WHERE turn_row = t.id AND role = 'assistant') AS assistant_text,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('call_id', c.call_id, 'name', c.name, 'arguments', c.arguments,
      'result', c.result, 'error', c.error) ORDER BY c.position), '[]'::jsonb)
   FROM tool_calls c WHERE c.turn_row = t.id) AS tool_calls,
  (SELECT jsonb_object_agg(name, milliseconds) FROM turn_timings WHERE turn_row = t.id) AS timings
FROM turns t WHERE t.session_id = $1 ORDER BY t.seq DESC LIMIT $2`;

const steps: TurnStep[] = ["loadContext", "inputGuard", "model", "tools", "store"];

/**
 * Sessions in PostgreSQL tables (migrations/0001_sessions.sql), on a server through pg or embedded
 * through PGlite: the durable history. Run `migrate` on the client before use.
 */
export class SqlSessionStore implements SessionStore, FeedbackStore, ProfileStore {
  readonly kind: string;
  readonly #client: SqlClient;
  readonly #contextTurns: number;

  constructor(client: SqlClient, options: SqlSessionStoreOptions = {}) {
    this.#client = client;
    this.kind = client.kind;
    this.#contextTurns = options.contextTurns ?? 50;
  }

  async load(sessionId: string): Promise<SessionContext> {
    return this.#call("load the session", async () => {
      const [session, turns] = await Promise.all([
        this.#client.query<{ summary: string | null; turn_count: number; summarized_turns: number }>(
          "SELECT summary, turn_count, summarized_turns FROM sessions WHERE session_id = $1",
          [sessionId],
        ),
        this.#recentTurns(sessionId, this.#contextTurns),
      ]);
      const row = session.rows[0];
      return {
        sessionId,
        summary: row?.summary ?? undefined,
        recentTurns: turns,
        turnCount: row?.turn_count ?? 0,
        summaryCoversTurns: row?.summarized_turns ?? 0,
      };
    });
  }

  async appendTurn(sessionId: string, turn: TurnRecord, options: AppendOptions = {}): Promise<void> {
    await this.#call("store the turn", () =>
      this.#client.query(appendTurnSql, [
        sessionId,
        options.owner ?? localOwner,
        turn.turnId,
        turn.model,
        turn.usage.inputTokens,
        turn.usage.outputTokens,
        turn.error ? JSON.stringify(turn.error) : null,
        turn.createdAt,
        storable(turn.userText),
        storable(turn.assistantText),
        JSON.stringify(turn.toolCalls),
        JSON.stringify(turn.timings ? timingRows(turn.timings) : {}),
      ]),
    );
  }

  async history(sessionId: string, options: { limit?: number } = {}): Promise<TurnRecord[]> {
    return this.#call("read the history", () => this.#recentTurns(sessionId, options.limit ?? null));
  }

  async setSummary(sessionId: string, summary: string, coversTurns = 0): Promise<void> {
    await this.#call("store the summary", () =>
      this.#client.query(
        `INSERT INTO sessions (session_id, owner, summary, summarized_turns) VALUES ($1, $2, $3, $4)
         ON CONFLICT (session_id) DO UPDATE
           SET summary = excluded.summary, summarized_turns = excluded.summarized_turns, last_active_at = now()`,
        [sessionId, localOwner, storable(summary), coversTurns],
      ),
    );
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.#call("delete the session", () =>
      this.#client.query("DELETE FROM sessions WHERE session_id = $1", [sessionId]),
    );
  }

  async describe(sessionId: string): Promise<SessionInfo | undefined> {
    return this.#call("describe the session", async () => {
      const { rows } = await this.#client.query<{
        owner: string;
        created_at: Date;
        last_active_at: Date;
        turn_count: number;
      }>("SELECT owner, created_at, last_active_at, turn_count FROM sessions WHERE session_id = $1", [sessionId]);
      const row = rows[0];
      return row
        ? {
            sessionId,
            owner: row.owner,
            createdAt: row.created_at.toISOString(),
            lastActiveAt: row.last_active_at.toISOString(),
            turnCount: row.turn_count,
          }
        : undefined;
    });
  }

  async addFeedback(feedback: FeedbackRecord): Promise<void> {
    const { rows } = await this.#call("store the feedback", () =>
      this.#client.query<{ id: string }>(
        `INSERT INTO feedback (session_id, turn_id, owner, kind, score, comment, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM sessions WHERE session_id = $1)
         RETURNING id`,
        [
          feedback.sessionId,
          feedback.turnId,
          feedback.owner,
          feedback.kind,
          feedback.score ?? null,
          feedback.comment === undefined ? null : storable(feedback.comment),
          feedback.createdAt,
        ],
      ),
    );
    if (rows.length === 0)
      throw new UserInputError("SESSION_NOT_FOUND", `No session ${feedback.sessionId} to give feedback on.`);
  }

  async listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    return this.#call("read the feedback", async () => {
      const { rows } = await this.#client.query<{
        session_id: string;
        turn_id: string;
        owner: string;
        kind: FeedbackKind;
        score: number | null;
        comment: string | null;
        created_at: Date;
      }>(
        `SELECT session_id, turn_id, owner, kind, score, comment, created_at FROM feedback
         WHERE ($1::text IS NULL OR owner = $1)
           AND ($2::text IS NULL OR kind = ANY (string_to_array($2, ',')))
           AND created_at >= COALESCE($3::timestamptz, '-infinity')
           AND ($5::text IS NULL OR session_id = $5)
         ORDER BY created_at DESC, id DESC LIMIT $4`,
        [
          query.owner ?? null,
          query.kinds?.join(",") ?? null,
          query.since?.toISOString() ?? null,
          query.limit ?? 1_000,
          query.sessionId ?? null,
        ],
      );
      return rows.map((row) => ({
        sessionId: row.session_id,
        turnId: row.turn_id,
        owner: row.owner,
        kind: row.kind,
        ...(row.score !== null ? { score: row.score } : {}),
        ...(row.comment !== null ? { comment: row.comment } : {}),
        createdAt: row.created_at.toISOString(),
      }));
    });
  }

  async loadProfile(owner: string): Promise<UserProfile | undefined> {
    return this.#call("read the profile", async () => {
      const { rows } = await this.#client.query<{ preferences: UserProfile | string }>(
        "SELECT preferences FROM user_profiles WHERE owner = $1",
        [owner],
      );
      const kept = rows[0]?.preferences;
      // jsonb comes back parsed from pg and as text from some clients.
      return kept === undefined ? undefined : typeof kept === "string" ? (JSON.parse(kept) as UserProfile) : kept;
    });
  }

  async saveProfile(profile: UserProfile, expected?: Pick<UserProfile, "updatedAt"> | null): Promise<boolean> {
    const values = [profile.owner, JSON.stringify(profile), profile.updatedAt];
    const { rows } = await this.#call("store the profile", () =>
      expected === undefined
        ? this.#client.query(
            `INSERT INTO user_profiles (owner, preferences, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (owner) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at
             RETURNING owner`,
            values,
          )
        : expected === null
          ? this.#client.query(
              `INSERT INTO user_profiles (owner, preferences, updated_at) VALUES ($1, $2, $3)
               ON CONFLICT (owner) DO NOTHING RETURNING owner`,
              values,
            )
          : this.#client.query(
              `UPDATE user_profiles SET preferences = $2, updated_at = $3
               WHERE owner = $1 AND updated_at = $4::timestamptz RETURNING owner`,
              [...values, expected.updatedAt],
            ),
    );
    return rows.length > 0;
  }

  async deleteProfile(owner: string): Promise<boolean> {
    return this.#call("delete the profile", async () => {
      const { rows } = await this.#client.query("DELETE FROM user_profiles WHERE owner = $1 RETURNING owner", [owner]);
      return rows.length > 0;
    });
  }

  async deleteOwner(owner: string): Promise<string[]> {
    return this.#call("delete the owner's sessions", async () => {
      // A user's data: their sessions (turns, messages, calls, timings, feedback go with them) and profile.
      return this.#client.transaction(async (executor) => {
        const { rows } = await executor.query<{ session_id: string }>(
          "DELETE FROM sessions WHERE owner = $1 RETURNING session_id",
          [owner],
        );
        await executor.query("DELETE FROM feedback WHERE owner = $1", [owner]);
        await executor.query("DELETE FROM user_profiles WHERE owner = $1", [owner]);
        return rows.map((row) => row.session_id);
      });
    });
  }

  async deleteIdleSince(cutoff: Date, limit = 10_000): Promise<string[]> {
    return this.#call("delete idle sessions", async () => {
      const { rows } = await this.#client.query<{ session_id: string }>(
        `DELETE FROM sessions WHERE session_id IN (
           SELECT session_id FROM sessions WHERE last_active_at < $1 ORDER BY last_active_at LIMIT $2
         ) RETURNING session_id`,
        [cutoff.toISOString(), limit],
      );
      // A profile goes with its owner's last session, once it too has been idle that long. The
      // sessions above are deleted whatever happens here: the caller must hear of them.
      await this.#client
        .query(
          `DELETE FROM user_profiles p WHERE p.updated_at < $1
             AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.owner = p.owner)`,
          [cutoff.toISOString()],
        )
        .catch(() => undefined);
      return rows.map((row) => row.session_id);
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async #recentTurns(sessionId: string, limit: number | null): Promise<TurnRecord[]> {
    const result = await this.#client.query<TurnRow>(recentTurnsSql, [sessionId, limit]);
    return result.rows.reverse().map(turnOf);
  }

  async #call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = refusedByDatabase(error) ? "STORE_REJECTED" : "STORE_UNAVAILABLE";
      throw new StoreError(code, `Could not ${what} (${this.kind}): ${messageOf(error)}`, { cause: error });
    }
  }
}

function timingRows(timings: TurnTimings): Record<string, number> {
  return {
    ...(timings.timeToFirstTokenMs !== undefined ? { time_to_first_token: timings.timeToFirstTokenMs } : {}),
    total: timings.totalMs,
    ...Object.fromEntries(steps.map((step) => [`step.${step}`, timings.steps[step]])),
  };
}

function timingsOf(rows: Record<string, number>): TurnTimings {
  return {
    timeToFirstTokenMs: rows.time_to_first_token,
    totalMs: rows.total ?? 0,
    steps: Object.fromEntries(steps.map((step) => [step, rows[`step.${step}`] ?? 0])) as Record<TurnStep, number>,
  };
}

function turnOf(row: TurnRow): TurnRecord {
  return {
    turnId: row.turn_id,
    userText: row.user_text,
    assistantText: row.assistant_text,
    toolCalls: row.tool_calls.map((call) => ({
      callId: call.call_id,
      name: call.name,
      arguments: call.arguments,
      ...(call.result !== null ? { result: call.result } : {}),
      ...(call.error ? { error: call.error } : {}),
    })),
    usage: { inputTokens: row.input_tokens, outputTokens: row.output_tokens },
    model: row.model,
    createdAt: row.created_at.toISOString(),
    ...(row.error ? { error: row.error } : {}),
    ...(row.timings ? { timings: timingsOf(row.timings) } : {}),
  };
}

/**
 * Whether the database answered and refused the statement (an SQLSTATE outside the classes of lost
 * connections, shutdowns and exhausted resources), rather than could not be reached.
 */
function refusedByDatabase(error: unknown): boolean {
  const sqlState = (error as { code?: unknown }).code;
  if (typeof sqlState !== "string" || !/^[0-9A-Z]{5}$/.test(sqlState)) return false;
  return !["08", "53", "57", "58"].includes(sqlState.slice(0, 2));
}

/** PostgreSQL text cannot hold NUL: it is kept as U+FFFD (the user's other characters as written). */
function storable(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}
