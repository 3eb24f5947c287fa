import type { SessionContext, SessionStore, TurnRecord } from "../contracts/store.ts";

/** A message of a conversation the caller keeps itself (stateless APIs such as /v1/chat/completions). */
export interface HistoryMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * Where a turn's context comes from and where the finished turn goes, chosen once when the turn starts:
 * the session store, or the history the caller sent with a stateless turn (which reads and keeps nothing).
 */
export interface SessionMemory {
  /** Instructions the caller adds to the system prompt (the system messages of its history). */
  readonly instructions: string | undefined;
  load(): Promise<SessionContext>;
  /** Keeps a finished or failed turn, for the turns that follow. */
  keep(turn: TurnRecord): Promise<void>;
}

export function sessionMemoryFor(
  input: { sessionId: string; owner?: string | undefined; history?: readonly HistoryMessage[] | undefined },
  store: SessionStore,
): SessionMemory {
  return input.history
    ? callerHistory(input.sessionId, input.history)
    : storedSession(store, input.sessionId, input.owner);
}

function storedSession(store: SessionStore, sessionId: string, owner: string | undefined): SessionMemory {
  return {
    instructions: undefined,
    load: () => store.load(sessionId),
    keep: (turn) => store.appendTurn(sessionId, turn, owner ? { owner } : {}),
  };
}

/** Caller-supplied history as session context; its system messages join the system prompt instead. */
function callerHistory(sessionId: string, history: readonly HistoryMessage[]): SessionMemory {
  const instructions = history
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n");
  return {
    instructions: instructions || undefined,
    load: async () => ({ sessionId, summary: undefined, recentTurns: turnsOf(history) }),
    keep: async () => {},
  };
}

function turnsOf(history: readonly HistoryMessage[]): TurnRecord[] {
  const turns: TurnRecord[] = [];
  let pendingUser: string | undefined;
  for (const message of history) {
    if (message.role === "user") {
      if (pendingUser !== undefined) turns.push(historyTurn(pendingUser, ""));
      pendingUser = message.content;
    } else if (message.role === "assistant") {
      turns.push(historyTurn(pendingUser ?? "", message.content));
      pendingUser = undefined;
    }
  }
  if (pendingUser !== undefined) turns.push(historyTurn(pendingUser, ""));
  return turns;
}

function historyTurn(userText: string, assistantText: string): TurnRecord {
  return {
    turnId: "",
    userText,
    assistantText,
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    model: "",
    createdAt: "",
  };
}

/** The same memory, keeping each turn as `redact` rewrites it (personal data out of what is stored). */
export function keepingRedacted(memory: SessionMemory, redact: (turn: TurnRecord) => TurnRecord): SessionMemory {
  return { instructions: memory.instructions, load: () => memory.load(), keep: (turn) => memory.keep(redact(turn)) };
}
