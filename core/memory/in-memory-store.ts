import type { FeedbackQuery, FeedbackRecord, FeedbackStore } from "../contracts/feedback.ts";
import type { ProfileStore, UserProfile } from "../contracts/profile.ts";
import { UserInputError } from "../contracts/errors.ts";
import {
  type AppendOptions,
  localOwner,
  type SessionContext,
  type SessionInfo,
  type SessionStore,
  type TurnRecord,
} from "../contracts/store.ts";

export interface InMemoryStoreOptions {
  /** How many recent turns `load` returns as context (default 50, the context window's kept turns). */
  contextTurns?: number;
  /** How many turns of history are kept per session; older ones are dropped (default 200). */
  maxTurnsPerSession?: number;
  /** Sessions idle longer than this are forgotten (default 24 h; 0 keeps them forever). */
  sessionTtlMs?: number;
  /** How many sessions are kept at most; the least recently used goes first (default 10,000). */
  maxSessions?: number;
}

interface SessionEntry {
  owner: string;
  summary: string | undefined;
  summaryCoversTurns: number;
  /** Serialized: every read parses fresh objects (cheaper than structuredClone), so callers cannot change what is kept. */
  turns: string[];
  turnCount: number;
  createdAt: number;
  touchedAt: number;
  feedback: FeedbackRecord[];
}

const newEntry = (owner = localOwner): SessionEntry => {
  const now = Date.now();
  return {
    owner,
    summary: undefined,
    summaryCoversTurns: 0,
    turns: [],
    turnCount: 0,
    createdAt: now,
    touchedAt: now,
    feedback: [],
  };
};

/** The embedded default: per-session bounded history in this process, no server needed. */
export class InMemorySessionStore implements SessionStore, FeedbackStore, ProfileStore {
  readonly kind = "memory";
  readonly #sessions = new Map<string, SessionEntry>();
  /** Users' profiles, serialized (callers cannot change what is kept); as many as `maxSessions`, the oldest saved first out. */
  readonly #profiles = new Map<string, string>();
  readonly #contextTurns: number;
  readonly #maxTurns: number;
  readonly #ttlMs: number;
  readonly #maxSessions: number;

  constructor(options: InMemoryStoreOptions = {}) {
    this.#contextTurns = options.contextTurns ?? 50;
    this.#maxTurns = options.maxTurnsPerSession ?? 200;
    this.#ttlMs = options.sessionTtlMs ?? 24 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 10_000;
  }

  async load(sessionId: string): Promise<SessionContext> {
    const entry = this.#live(sessionId);
    return {
      sessionId,
      summary: entry?.summary,
      recentTurns: entry ? entry.turns.slice(-this.#contextTurns).map(parsedTurn) : [],
      turnCount: entry?.turnCount ?? 0,
      summaryCoversTurns: entry?.summaryCoversTurns ?? 0,
    };
  }

  async appendTurn(sessionId: string, turn: TurnRecord, options: AppendOptions = {}): Promise<void> {
    const entry = this.#live(sessionId) ?? newEntry(options.owner);
    entry.turns.push(JSON.stringify(turn));
    entry.turnCount++;
    if (entry.turns.length > this.#maxTurns) entry.turns.splice(0, entry.turns.length - this.#maxTurns);
    this.#touch(sessionId, entry);
  }

  async history(sessionId: string, options: { limit?: number } = {}): Promise<TurnRecord[]> {
    const turns = this.#live(sessionId)?.turns ?? [];
    return (options.limit === undefined ? turns : turns.slice(-options.limit)).map(parsedTurn);
  }

  async setSummary(sessionId: string, summary: string, coversTurns = 0): Promise<void> {
    const entry = this.#live(sessionId) ?? newEntry();
    entry.summary = summary;
    entry.summaryCoversTurns = coversTurns;
    this.#touch(sessionId, entry);
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.#sessions.delete(sessionId);
  }

  async describe(sessionId: string): Promise<SessionInfo | undefined> {
    const entry = this.#live(sessionId);
    if (!entry) return undefined;
    return {
      sessionId,
      owner: entry.owner,
      createdAt: new Date(entry.createdAt).toISOString(),
      lastActiveAt: new Date(entry.touchedAt).toISOString(),
      turnCount: entry.turnCount,
    };
  }

  /** Kept with the session (and forgotten with it); at most the session's last 1,000 items of feedback. */
  async addFeedback(feedback: FeedbackRecord): Promise<void> {
    const entry = this.#live(feedback.sessionId);
    if (!entry) throw new UserInputError("SESSION_NOT_FOUND", `No session ${feedback.sessionId} to give feedback on.`);
    const { score, comment, ...rest } = feedback;
    entry.feedback.push({
      ...rest,
      ...(score !== undefined ? { score } : {}),
      ...(comment !== undefined ? { comment } : {}),
    });
    if (entry.feedback.length > 1_000) entry.feedback.shift();
  }

  async listFeedback(query: FeedbackQuery = {}): Promise<FeedbackRecord[]> {
    const since = query.since?.getTime() ?? Number.NEGATIVE_INFINITY;
    const found: FeedbackRecord[] = [];
    for (const entry of this.#sessions.values())
      for (const item of entry.feedback)
        if (
          (query.owner === undefined || item.owner === query.owner) &&
          (query.sessionId === undefined || item.sessionId === query.sessionId) &&
          (query.kinds === undefined || query.kinds.includes(item.kind)) &&
          Date.parse(item.createdAt) >= since
        )
          found.push({ ...item });
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, query.limit ?? 1_000);
  }

  async deleteOwner(owner: string): Promise<string[]> {
    this.#profiles.delete(owner);
    return this.#deleteWhere((entry) => entry.owner === owner);
  }

  async loadProfile(owner: string): Promise<UserProfile | undefined> {
    const kept = this.#profiles.get(owner);
    return kept === undefined ? undefined : (JSON.parse(kept) as UserProfile);
  }

  async saveProfile(profile: UserProfile, expected?: Pick<UserProfile, "updatedAt"> | null): Promise<boolean> {
    const kept = this.#profiles.get(profile.owner);
    if (expected === null && kept !== undefined) return false;
    if (expected && (kept === undefined || (JSON.parse(kept) as UserProfile).updatedAt !== expected.updatedAt))
      return false;
    this.#profiles.delete(profile.owner);
    this.#profiles.set(profile.owner, JSON.stringify(profile));
    if (this.#profiles.size > this.#maxSessions) this.#profiles.delete(this.#profiles.keys().next().value!);
    return true;
  }

  async deleteProfile(owner: string): Promise<boolean> {
    return this.#profiles.delete(owner);
  }

  async deleteIdleSince(cutoff: Date, limit = 10_000): Promise<string[]> {
    const deleted = this.#deleteWhere((entry) => entry.touchedAt < cutoff.getTime(), limit);
    // A profile goes with its owner's last session, once it too has been idle that long.
    const owners = new Set([...this.#sessions.values()].map((entry) => entry.owner));
    for (const [owner, kept] of this.#profiles)
      if (!owners.has(owner) && Date.parse((JSON.parse(kept) as UserProfile).updatedAt) < cutoff.getTime())
        this.#profiles.delete(owner);
    return deleted;
  }

  #deleteWhere(matches: (entry: SessionEntry) => boolean, limit = Number.POSITIVE_INFINITY): string[] {
    const deleted: string[] = [];
    for (const [sessionId, entry] of this.#sessions) {
      if (deleted.length >= limit) break;
      if (!matches(entry)) continue;
      this.#sessions.delete(sessionId);
      deleted.push(sessionId);
    }
    return deleted;
  }

  #live(sessionId: string): SessionEntry | undefined {
    const entry = this.#sessions.get(sessionId);
    if (entry && this.#ttlMs > 0 && Date.now() - entry.touchedAt > this.#ttlMs) {
      this.#sessions.delete(sessionId);
      return undefined;
    }
    return entry;
  }

  #touch(sessionId: string, entry: SessionEntry): void {
    entry.touchedAt = Date.now();
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, entry);
    if (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
  }
}

const parsedTurn = (json: string): TurnRecord => JSON.parse(json) as TurnRecord;
