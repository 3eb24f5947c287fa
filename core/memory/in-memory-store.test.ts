import { describe, expect, it, vi } from "vitest";
import { InMemorySessionStore } from "./in-memory-store.ts";
import { runSessionStoreContract } from "../testing/contracts/session-store.ts";
import { runFeedbackStoreContract } from "../testing/contracts/feedback-store.ts";
import { runProfileStoreContract } from "../testing/contracts/profile-store.ts";
import { sampleTurn } from "../testing/turn-record.ts";

runSessionStoreContract({
  name: "memory",
  createStore: () => new InMemorySessionStore({ contextTurns: 4 }),
  contextTurns: 4,
});

runFeedbackStoreContract({ name: "memory", createStore: () => new InMemorySessionStore() });
runProfileStoreContract({ name: "memory", createStore: () => new InMemorySessionStore() });

const record = (index: number) => sampleTurn(index);

describe("InMemorySessionStore bounds", () => {
  it("keeps at most maxTurnsPerSession turns", async () => {
    const store = new InMemorySessionStore({ maxTurnsPerSession: 3 });
    for (let index = 1; index <= 5; index++) await store.appendTurn("s", record(index));
    expect((await store.history("s")).map((turn) => turn.turnId)).toEqual(["t3", "t4", "t5"]);
  });

  it("forgets sessions idle past their TTL", async () => {
    vi.useFakeTimers();
    try {
      const store = new InMemorySessionStore({ sessionTtlMs: 1_000 });
      await store.appendTurn("s", record(1));
      vi.advanceTimersByTime(1_001);
      expect(await store.history("s")).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("evicts the least recently used session past maxSessions", async () => {
    const store = new InMemorySessionStore({ maxSessions: 2 });
    await store.appendTurn("a", record(1));
    await store.appendTurn("b", record(1));
    await store.appendTurn("a", record(2));
    await store.appendTurn("c", record(1));
    expect(await store.history("b")).toEqual([]);
    expect(await store.history("a")).toHaveLength(2);
  });
});
