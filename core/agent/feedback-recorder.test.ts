import { describe, expect, it } from "vitest";
import { SyntheticModel } from "../models/synthetic-model.ts";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { collectEvents } from "../testing/collect.ts";
import type { FeedbackRecord } from "../contracts/feedback.ts";
import { userCancellation } from "../contracts/errors.ts";
import { Agent } from "./agent.ts";

const answering = () =>
  new SyntheticModel({ respond: () => ({ text: ["An ", "answer."], usage: { inputTokens: 1, outputTokens: 2 } }) });

describe("feedback the agent notices", () => {
  it("records a clarification request and a repeated question on the answer they are about, and tells listeners", async () => {
    const store = new InMemorySessionStore();
    const agent = new Agent({ model: answering(), store });
    const heard: FeedbackRecord[] = [];
    agent.feedback.onFeedback((feedback) => heard.push(feedback));
    const turnIds: string[] = [];
    for (const text of [
      "What's the weather in Lisbon?",
      "What do you mean?",
      "Is it sunny in Faro?",
      "is it sunny in faro",
    ]) {
      const [start] = await collectEvents(agent.runTurn({ sessionId: "s", owner: "ada", text }));
      turnIds.push(start!.turnId);
    }
    await agent.settle();
    const kept = await store.listFeedback({ owner: "ada" });
    const byTurn = (feedback: FeedbackRecord) => turnIds.indexOf(feedback.turnId);
    expect(
      kept.sort((a, b) => byTurn(a) - byTurn(b)).map(({ turnId, kind, score }) => ({ turnId, kind, score })),
    ).toEqual([
      { turnId: turnIds[0], kind: "clarification", score: -1 },
      { turnId: turnIds[2], kind: "rephrased", score: -1 },
    ]);
    expect(heard).toHaveLength(2);
  });

  it("records an answer its user cancelled as abandoned; not one the server stopped, nor with the feature off", async () => {
    for (const [implicitFeedback, reason] of [
      [undefined, userCancellation()],
      [undefined, undefined],
      [false, userCancellation()],
    ] as const) {
      const store = new InMemorySessionStore();
      const agent = new Agent({
        model: answering(),
        store,
        ...(implicitFeedback === false ? { implicitFeedback } : {}),
      });
      await collectEvents(agent.runTurn({ sessionId: "s", text: "Hello" }));
      const controller = new AbortController();
      const events = [];
      for await (const event of agent.runTurn({
        sessionId: "s",
        text: "Tell me a long story",
        signal: controller.signal,
      })) {
        events.push(event);
        if (event.type === "text-delta") controller.abort(reason);
      }
      expect(events.at(-1)).toMatchObject({ type: "turn-finish", outcome: "aborted" });
      await agent.settle();
      const kinds = (await store.listFeedback()).map((feedback) => [feedback.kind, feedback.turnId]);
      expect(kinds).toEqual(implicitFeedback === false || !reason ? [] : [["abandoned", events[0]!.turnId]]);
    }
  });
});
