import { afterEach, describe, expect, it } from "vitest";
import type { SessionStore, TurnRecord } from "../../contracts/store.ts";

export interface SessionStoreContractSubject {
  name: string;
  /** A store to test; each case makes its own (and the contract closes it afterwards). */
  createStore: () => Promise<SessionStore> | SessionStore;
  /** How many recent turns the factory's stores return from `load`. */
  contextTurns: number;
}

/**
 * The behaviour every SessionStore must have, as a vitest suite: each implementation's test file calls
 * it with a factory. Sessions get unique ids, so a store backed by a shared server (Redis, PostgreSQL)
 * can run it against a database that already holds data.
 */
export function runSessionStoreContract(subject: SessionStoreContractSubject): void {
  const { name, contextTurns } = subject;
  const opened: SessionStore[] = [];
  const createStore = async () => {
    const store = await subject.createStore();
    opened.push(store);
    return store;
  };
  const turn = (index: number, overrides: Partial<TurnRecord> = {}): TurnRecord => ({
    turnId: `turn-${index}`,
    userText: `question ${index}`,
    assistantText: `answer ${index}`,
    toolCalls: [
      {
        callId: `c${index}`,
        name: "calculator",
        arguments: { expression: `${index} + 1` },
        result: { result: index + 1 },
      },
    ],
    usage: { inputTokens: index, outputTokens: index * 2 },
    model: "test-model",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    ...overrides,
  });
  const uniqueSession = () => `${name}-${Math.random().toString(36).slice(2)}`;

  describe(`SessionStore contract: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close?.()));
    });

    it("names its kind", async () => {
      const store = await createStore();
      expect(typeof store.kind).toBe("string");
      expect(store.kind.length).toBeGreaterThan(0);
    });

    it("loads an unknown session as empty", async () => {
      const store = await createStore();
      expect(await store.load(uniqueSession())).toMatchObject({ summary: undefined, recentTurns: [] });
    });

    it("appends turns and returns them in order, with tool calls intact", async () => {
      const store = await createStore();
      const session = uniqueSession();
      await store.appendTurn(session, turn(1));
      await store.appendTurn(session, turn(2));
      expect(await store.history(session)).toEqual([turn(1), turn(2)]);
      expect((await store.load(session)).recentTurns).toEqual([turn(1), turn(2)]);
    });

    it("keeps a failed turn: the user's message with the error, and no answer", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const failed = turn(1, {
        assistantText: "",
        toolCalls: [],
        error: { code: "PROVIDER_UNAVAILABLE", message: "No provider in the chain could answer." },
      });
      await store.appendTurn(session, failed);
      expect(await store.history(session)).toEqual([failed]);
    });

    it("returns only the most recent turns as context, and honours a history limit", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const total = contextTurns + 3;
      for (let index = 1; index <= total; index++) await store.appendTurn(session, turn(index));
      const context = await store.load(session);
      expect(context.recentTurns.map((record) => record.turnId)).toEqual(
        Array.from({ length: contextTurns }, (_, offset) => `turn-${total - contextTurns + 1 + offset}`),
      );
      expect((await store.history(session, { limit: 2 })).map((record) => record.turnId)).toEqual([
        `turn-${total - 1}`,
        `turn-${total}`,
      ]);
    });

    it("keeps sessions apart", async () => {
      const store = await createStore();
      const first = uniqueSession();
      const second = uniqueSession();
      await store.appendTurn(first, turn(1));
      expect(await store.history(second)).toEqual([]);
    });

    it("stores a summary beside the turns", async () => {
      const store = await createStore();
      const session = uniqueSession();
      await store.setSummary(session, "The user is planning a trip to Japan.");
      await store.appendTurn(session, turn(1));
      expect(await store.load(session)).toMatchObject({
        summary: "The user is planning a trip to Japan.",
        recentTurns: [turn(1)],
      });
    });

    it("counts a session's turns and remembers how many of the oldest the summary covers", async () => {
      const store = await createStore();
      const session = uniqueSession();
      expect(await store.load(session)).toMatchObject({ turnCount: 0, summaryCoversTurns: 0 });
      for (let index = 1; index <= 3; index++) await store.appendTurn(session, turn(index));
      await store.setSummary(session, "Turns 1 and 2: a budget of 300,000 yen.", 2);
      expect(await store.load(session)).toMatchObject({
        summary: "Turns 1 and 2: a budget of 300,000 yen.",
        turnCount: 3,
        summaryCoversTurns: 2,
      });
    });

    it("deletes a session", async () => {
      const store = await createStore();
      const session = uniqueSession();
      await store.appendTurn(session, turn(1));
      await store.deleteSession(session);
      expect(await store.history(session)).toEqual([]);
    });

    it("keeps a turn's timings, and text with quotes, newlines and emoji as written", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const timed = turn(1, {
        userText: `It's "quoted"\nand 🇯🇵 — ¿vale?`,
        assistantText: '{"not": "json"} $1 \\ done',
        timings: {
          timeToFirstTokenMs: 12.5,
          totalMs: 40.25,
          steps: { loadContext: 1, inputGuard: 0.125, model: 30, tools: 8, store: 0 },
        },
      });
      await store.appendTurn(session, timed);
      expect(await store.history(session)).toEqual([timed]);
    });

    it("keeps every turn of a session when they are stored at once", async () => {
      const store = await createStore();
      const session = uniqueSession();
      await Promise.all(Array.from({ length: 8 }, (_, index) => store.appendTurn(session, turn(index + 1))));
      const stored = await store.history(session);
      expect(stored.map((record) => record.turnId).sort()).toEqual(
        Array.from({ length: 8 }, (_, index) => `turn-${index + 1}`).sort(),
      );
    });

    it("describes a session: its owner, when it started and was last used, how many turns", async () => {
      const store = await createStore();
      const session = uniqueSession();
      expect(await store.describe(session)).toBeUndefined();
      const before = Date.now();
      await store.appendTurn(session, turn(1), { owner: "key:alice" });
      await store.appendTurn(session, turn(2), { owner: "key:alice" });
      const info = await store.describe(session);
      expect(info).toMatchObject({ sessionId: session, owner: "key:alice", turnCount: 2 });
      expect(Date.parse(info!.lastActiveAt)).toBeGreaterThanOrEqual(Date.parse(info!.createdAt));
      // Clocks of a store's server and of this process may differ a little: a minute's slack.
      expect(Math.abs(Date.parse(info!.createdAt) - before)).toBeLessThan(60_000);
    });

    it("deletes every session of one owner and no other", async () => {
      const store = await createStore();
      const owner = `owner-${uniqueSession()}`;
      const [first, second, other] = [uniqueSession(), uniqueSession(), uniqueSession()];
      await store.appendTurn(first, turn(1), { owner });
      await store.appendTurn(second, turn(1), { owner });
      await store.appendTurn(other, turn(1), { owner: `${owner}-other` });
      expect((await store.deleteOwner(owner)).sort()).toEqual([first, second].sort());
      expect(await store.history(first)).toEqual([]);
      expect(await store.describe(second)).toBeUndefined();
      expect(await store.history(other)).toEqual([turn(1)]);
    });

    it("deletes sessions idle since a cutoff, and keeps those used after it", async () => {
      const store = await createStore();
      const idle = uniqueSession();
      await store.appendTurn(idle, turn(1));
      const cutoff = new Date(Date.now() + 60_000);
      const deleted = await store.deleteIdleSince(cutoff, 100_000);
      expect(deleted).toContain(idle);
      expect(await store.history(idle)).toEqual([]);
      const recent = uniqueSession();
      await store.appendTurn(recent, turn(1));
      expect(await store.deleteIdleSince(new Date(Date.now() - 60 * 60_000))).not.toContain(recent);
      expect(await store.history(recent)).toEqual([turn(1)]);
    });

    it("does not let callers change stored turns through returned objects", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const original = turn(1);
      await store.appendTurn(session, original);
      original.assistantText = "changed after storing";
      const [loaded] = await store.history(session);
      loaded!.userText = "changed after loading";
      const [recalled] = (await store.load(session)).recentTurns;
      recalled!.assistantText = "changed after recalling";
      expect(await store.history(session)).toEqual([turn(1)]);
    });
  });
}
