import { describe, expect, it } from "vitest";
import type { TurnRecord } from "../contracts/store.ts";
import { InMemorySessionStore } from "../memory/in-memory-store.ts";
import { collectEvents } from "../testing/collect.ts";
import { ScriptedModel } from "../testing/scripted-model.ts";
import { Agent } from "./agent.ts";
import { summaryDue, turnsWithinBudget } from "./context-window.ts";

const turn = (index: number, chars = 35): TurnRecord => ({
  turnId: `t${index}`,
  userText: "u".repeat(chars),
  assistantText: "a".repeat(chars),
  toolCalls: [],
  usage: { inputTokens: 0, outputTokens: 0 },
  model: "m",
  createdAt: "2026-11-27T00:00:00.000Z",
});

describe("context window", () => {
  it("keeps the newest turns that fit the budget, and always the latest", () => {
    const turns = [1, 2, 3, 4].map((index) => turn(index)); // ~28 tokens each with overhead
    expect(turnsWithinBudget(turns, 60).map((record) => record.turnId)).toEqual(["t3", "t4"]);
    expect(turnsWithinBudget(turns, 1_000)).toHaveLength(4);
    expect(turnsWithinBudget([turn(1, 10_000)], 10).map((record) => record.turnId)).toEqual(["t1"]);
  });

  it("makes a summary due once enough turns have left the window unsummarized", () => {
    const window = { keepTurns: 50, summarizeEvery: 10 };
    const at = (turnCount: number, summaryCoversTurns = 0) =>
      summaryDue({ sessionId: "s", summary: undefined, recentTurns: [], turnCount, summaryCoversTurns }, window);
    expect(at(59)).toBeUndefined();
    expect(at(60)).toBe(10);
    expect(at(65, 10)).toBeUndefined();
    expect(at(70, 10)).toBe(20);
  });

  it("has the model write a rolling summary of the turns that left the window, and recalls it after", async () => {
    const store = new InMemorySessionStore({ contextTurns: 2 });
    const answers = ["Noted, 300,000 yen.", "Flights are about 148,000 yen.", "Kyoto it is.", "Sure."];
    const model = new ScriptedModel([
      ...answers.map((text) => ({ text })),
      // After the fourth turn two turns have left the window of two: the summary request.
      {
        text: "The user has a budget of 300,000 yen; flights cost about 148,000 yen.",
        expect: (request) => {
          expect(request.messages[0]!.content).toContain("summarize conversations");
          expect(request.messages[1]!.content).toContain("300,000 yen");
          expect(request.messages[1]!.content).not.toContain("Kyoto");
        },
      },
      {
        text: "About 152,000 yen remain.",
        expect: (request) =>
          expect(request.messages[0]!.content).toContain(
            "Summary of the earlier conversation: The user has a budget of 300,000 yen",
          ),
      },
    ]);
    const agent = new Agent({ model, store, contextWindow: { keepTurns: 2, summarizeEvery: 2 } });
    const messages = ["My budget is 300,000 yen", "Flights?", "Then Kyoto", "Thanks", "How much is left?"];
    for (const [index, text] of messages.entries()) {
      await collectEvents(agent.runTurn({ sessionId: "trip", text }));
      // The summary is written in the background after the fourth turn: let it finish first.
      if (index === 3) await agent.settle();
    }
    expect(await store.load("trip")).toMatchObject({ summaryCoversTurns: 2, turnCount: 5 });
    model.assertDone();
  });
});
