import type { TurnRecord } from "../contracts/store.ts";

/** A stored turn for tests of stores and of what reads them: `t<index>`, "question <index>", "answer <index>". */
export function sampleTurn(index: number, overrides: Partial<TurnRecord> = {}): TurnRecord {
  return {
    turnId: `t${index}`,
    userText: `question ${index}`,
    assistantText: `answer ${index}`,
    toolCalls: [],
    usage: { inputTokens: 1, outputTokens: 1 },
    model: "m",
    createdAt: "2026-11-27T10:00:00.000Z",
    ...overrides,
  };
}

/** The turns' ids, in order: what most store tests compare. */
export function turnIds(turns: readonly TurnRecord[]): string[] {
  return turns.map((turn) => turn.turnId);
}
