import type { TurnTimings } from "./events.ts";
import type { TokenUsage } from "./messages.ts";

export interface ToolCallRecord {
  callId: string;
  name: string;
  arguments: Record<string, unknown>;
  result?: unknown;
  error?: { code: string; message: string };
}

/** One finished exchange: what the user said, what the agent answered, and the tools in between. */
export interface TurnRecord {
  turnId: string;
  userText: string;
  assistantText: string;
  toolCalls: ToolCallRecord[];
  usage: TokenUsage;
  model: string;
  createdAt: string;
  /** Set when the turn failed: the user's message is kept even though no answer came. */
  error?: { code: string; message: string };
  /** How long the turn took, step by step (the store step: up to the moment it was stored). */
  timings?: TurnTimings;
}

/** Who a session belongs to, given when a turn is stored (the server's authenticated principal). */
export interface AppendOptions {
  owner?: string;
}

/** The owner of sessions stored without one (the CLI, evals, an unauthenticated local server). */
export const localOwner = "local";

/** What the turn loop recalls before answering: a summary of older turns plus the recent ones. */
export interface SessionContext {
  sessionId: string;
  summary: string | undefined;
  recentTurns: TurnRecord[];
  /** Turns stored in the session's life (the recent ones are the last of them); 0 for a new session. */
  turnCount?: number;
  /** How many of the oldest turns the summary covers (the rolling summary, see core/agent/context-window.ts). */
  summaryCoversTurns?: number;
}

/** What a store knows of a session besides its turns. */
export interface SessionInfo {
  sessionId: string;
  owner: string;
  createdAt: string;
  lastActiveAt: string;
  /** Turns stored in the session's life (a store that caps history may hold fewer). */
  turnCount: number;
}

/** Whether a store works as it should, or works around a part that is down (reported by /health). */
export interface StoreHealth {
  degraded: boolean;
  /** What is wrong and what the store does about it. */
  reason?: string;
  /** Writes kept in this process until the database answers again. */
  bufferedWrites?: number;
}

/**
 * Session stores keep per-session history. Failures throw StoreError. Implementations: in this process
 * (core/memory/in-memory-store.ts), SQL on PostgreSQL or embedded PGlite (sql-session-store.ts), Redis
 * as hot context (redis-session-store.ts) and a tiered store over them (tiered-session-store.ts). Each
 * must pass the session store contract (realtime-agent/testing/contracts).
 */
export interface SessionStore {
  readonly kind: string;
  load(sessionId: string): Promise<SessionContext>;
  appendTurn(sessionId: string, turn: TurnRecord, options?: AppendOptions): Promise<void>;
  history(sessionId: string, options?: { limit?: number }): Promise<TurnRecord[]>;
  /** Stores the session's summary, which covers its `coversTurns` oldest turns (default 0). */
  setSummary(sessionId: string, summary: string, coversTurns?: number): Promise<void>;
  deleteSession(sessionId: string): Promise<void>;
  /** Who owns the session, when it started and was last used; undefined for a session it does not hold. */
  describe(sessionId: string): Promise<SessionInfo | undefined>;
  /** Deletes every session of `owner` (a user's data, on request); returns the deleted sessions' ids. */
  deleteOwner(owner: string): Promise<string[]>;
  /** Deletes up to `limit` sessions last used before `cutoff` (retention); returns their ids. */
  deleteIdleSince(cutoff: Date, limit?: number): Promise<string[]>;
  /** Whether the store is degraded (a tier down, writes buffered); stores without tiers need not say. */
  health?(): StoreHealth;
  close?(): Promise<void>;
}

/**
 * Keeps a session's turns one at a time across processes (several server instances on one store). A
 * process already serializes its own turns; this lock makes the turns of different processes wait
 * for each other. Implementation: core/memory/redis-session-lock.ts.
 */
export interface SessionLock {
  /** Resolves with the release once no other process holds the session; rejects if `signal` aborts first. */
  acquire(sessionId: string, signal?: AbortSignal): Promise<() => void>;
}
