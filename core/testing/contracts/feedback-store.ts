import { afterEach, describe, expect, it } from "vitest";
import { AgentError } from "../../contracts/errors.ts";
import type { FeedbackRecord, FeedbackStore } from "../../contracts/feedback.ts";
import type { SessionStore } from "../../contracts/store.ts";
import { sampleTurn } from "../turn-record.ts";

export interface FeedbackStoreContractSubject {
  name: string;
  /** A store to test; each case makes its own (and the contract closes it afterwards). */
  createStore: () => Promise<SessionStore & FeedbackStore> | (SessionStore & FeedbackStore);
}

/**
 * What every store that keeps feedback must do, as a vitest suite. Sessions and owners get unique
 * names, so a store on a shared database can run it beside other data.
 */
export function runFeedbackStoreContract(subject: FeedbackStoreContractSubject): void {
  const opened: SessionStore[] = [];
  const createStore = async () => {
    const store = await subject.createStore();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close?.();
  });
  const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const feedback = (sessionId: string, owner: string, overrides: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
    sessionId,
    turnId: "t1",
    owner,
    kind: "rating",
    score: 1,
    createdAt: new Date().toISOString(),
    ...overrides,
  });

  describe(`feedback store contract: ${subject.name}`, () => {
    it("keeps feedback on a session's turns, newest first, filtered by owner, kind and time", async () => {
      const store = await createStore();
      const owner = `owner-${unique()}`;
      const sessionId = `${owner}:trip`;
      await store.appendTurn(sessionId, sampleTurn(1), { owner });
      const at = (second: number) => new Date(Date.UTC(2026, 10, 28, 10, 0, second)).toISOString();
      await store.addFeedback(feedback(sessionId, owner, { createdAt: at(1), comment: "clear and right" }));
      await store.addFeedback(feedback(sessionId, owner, { kind: "rephrased", score: -1, createdAt: at(2) }));
      await store.addFeedback(feedback(sessionId, owner, { kind: "comment", score: undefined, createdAt: at(3) }));

      const all = await store.listFeedback({ owner });
      expect(all.map((item) => item.kind)).toEqual(["comment", "rephrased", "rating"]);
      expect(all[2]).toEqual({
        sessionId,
        turnId: "t1",
        owner,
        kind: "rating",
        score: 1,
        comment: "clear and right",
        createdAt: at(1),
      });
      expect(all[0]).not.toHaveProperty("score");
      expect((await store.listFeedback({ owner, kinds: ["rating", "rephrased"] })).map((item) => item.kind)).toEqual([
        "rephrased",
        "rating",
      ]);
      expect(await store.listFeedback({ owner, since: new Date(at(2)) })).toHaveLength(2);
      expect(await store.listFeedback({ owner, limit: 1 })).toHaveLength(1);
      await store.appendTurn(`${owner}:other`, sampleTurn(1), { owner });
      await store.addFeedback(feedback(`${owner}:other`, owner, { createdAt: at(4) }));
      expect(await store.listFeedback({ owner, sessionId })).toHaveLength(3);
      expect(await store.listFeedback({ owner })).toHaveLength(4);
      expect(await store.listFeedback({ owner: `${owner}-nobody` })).toEqual([]);
    });

    it("refuses feedback on a session it does not hold, and forgets feedback with its session or owner", async () => {
      const store = await createStore();
      const owner = `owner-${unique()}`;
      const refused = await store.addFeedback(feedback(`${owner}:none`, owner)).catch((error: unknown) => error);
      expect(AgentError.isInstance(refused) && refused.code).toBe("SESSION_NOT_FOUND");

      await store.appendTurn(`${owner}:a`, sampleTurn(1), { owner });
      await store.appendTurn(`${owner}:b`, sampleTurn(1), { owner });
      await store.addFeedback(feedback(`${owner}:a`, owner));
      await store.addFeedback(feedback(`${owner}:b`, owner));
      await store.deleteSession(`${owner}:a`);
      expect((await store.listFeedback({ owner })).map((item) => item.sessionId)).toEqual([`${owner}:b`]);
      await store.deleteOwner(owner);
      expect(await store.listFeedback({ owner })).toEqual([]);
    });
  });
}
