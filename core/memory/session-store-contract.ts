import { describe, expect, it } from "vitest";
import type { SessionStore, TurnRecord } from "../contracts/store.ts";

/**
 * The behaviour every SessionStore must have. Each implementation's test file calls this with a
 * factory; `contextTurns` is how many recent turns the factory's store returns from `load`.
 */
export function runSessionStoreContract(
  name: string,
  createStore: () => Promise<SessionStore> | SessionStore,
  options: { contextTurns: number },
) {
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

    it("returns only the most recent turns as context, and honours a history limit", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const total = options.contextTurns + 3;
      for (let index = 1; index <= total; index++) await store.appendTurn(session, turn(index));
      const context = await store.load(session);
      expect(context.recentTurns.map((record) => record.turnId)).toEqual(
        Array.from(
          { length: options.contextTurns },
          (_, offset) => `turn-${total - options.contextTurns + 1 + offset}`,
        ),
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

    it("deletes a session", async () => {
      const store = await createStore();
      const session = uniqueSession();
      await store.appendTurn(session, turn(1));
      await store.deleteSession(session);
      expect(await store.history(session)).toEqual([]);
    });

    it("does not let callers change stored turns through returned objects", async () => {
      const store = await createStore();
      const session = uniqueSession();
      const original = turn(1);
      await store.appendTurn(session, original);
      original.assistantText = "changed after storing";
      const [loaded] = await store.history(session);
      loaded!.userText = "changed after loading";
      expect(await store.history(session)).toEqual([turn(1)]);
    });
  });
}
