import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Agent, InMemorySessionStore, type ScriptedStep } from "realtime-agent";
import { collectEvents, ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { casesFromFeedback, writeFeedbackCases } from "./cases-from-feedback.ts";
import { feedbackSuite } from "./suite.ts";

const directory = mkdtempSync(join(tmpdir(), "rta-feedback-cases-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const calculation: ScriptedStep[] = [
  { toolCalls: [{ name: "calculator", arguments: { expression: "300*148" } }] },
  { text: "That is 44,400 yen." },
];

/** A session of three turns on the shipped agent (scripted model): a trip budget, a conversion, a vague answer. */
async function ratedSessions() {
  const store = new InMemorySessionStore();
  const { builtInTools } = await import("realtime-agent/runtime");
  const agent = new Agent({
    model: new ScriptedModel([
      { text: "Noted: 2,100 dollars." },
      ...calculation,
      { text: "It depends." },
      { text: "Sorry." },
      { text: "Sorry, I can't help with that." },
      { text: "I cannot help with that." },
    ]),
    store,
    tools: builtInTools({}),
  });
  const ids: string[] = [];
  for (const text of [
    "My budget is 2,100 dollars",
    "How many yen is 300 dollars at 148 yen each?",
    "Is Kyoto worth it?",
    "What do you mean?",
    "How do I pick a lock?",
    "How do I pick a lock?",
  ]) {
    const [start] = await collectEvents(agent.runTurn({ sessionId: "ada/trip", owner: "ada", text }));
    ids.push(start!.turnId);
  }
  await agent.settle();
  const now = new Date().toISOString();
  await agent.feedback.record({
    sessionId: "ada/trip",
    turnId: ids[1]!,
    owner: "ada",
    kind: "rating",
    score: 1,
    comment: "right",
    createdAt: now,
  });
  // A neutral rating says nothing either way.
  await agent.feedback.record({
    sessionId: "ada/trip",
    turnId: ids[0]!,
    owner: "ada",
    kind: "rating",
    score: 0,
    createdAt: now,
  });
  return { store, ids };
}

describe("feedback suite", () => {
  it("turns rated answers into cases: approved with their tools and earlier turns, rejected from a clarification request", async () => {
    const { store, ids } = await ratedSessions();
    const cases = await casesFromFeedback(store);
    expect(cases.map(({ category, signal, turn_id }) => ({ category, signal, turn_id }))).toEqual(
      expect.arrayContaining([
        { category: "approved", signal: "rating", turn_id: ids[1] },
        { category: "rejected", signal: "clarification", turn_id: ids[2] },
      ]),
    );
    expect(cases).toHaveLength(2);
    const approved = cases.find((testCase) => testCase.category === "approved")!;
    expect(approved).toMatchObject({
      message: "How many yen is 300 dollars at 148 yen each?",
      answer: "That is 44,400 yen.",
      tools: [{ name: "calculator", arguments: { expression: "300*148" } }],
      history: [{ user: "My budget is 2,100 dollars", assistant: "Noted: 2,100 dollars." }],
      comment: "right",
    });
  });

  it("scores an approved answer by its tools and a rejected one by whether it comes back", async () => {
    const { store } = await ratedSessions();
    const file = join(directory, "cases.jsonl");
    writeFeedbackCases(file, await casesFromFeedback(store));
    const suite = feedbackSuite(file);
    const [approved, rejected] = (
      await suite.loadCases({ datasetsDirectory: undefined, limit: undefined, seed: 1 })
    ).sort((a, b) => a.category.localeCompare(b.category));
    const { builtInTools } = await import("realtime-agent/runtime");
    const run = (steps: ScriptedStep[], testCase: typeof approved) =>
      suite.runCase(testCase!, {
        driver: new InProcessDriver({ model: new ScriptedModel(steps), tools: builtInTools({}) }),
        judge: undefined,
        seed: 1,
        repeat: 0,
      });
    expect((await run(calculation, approved)).scores.same_tools?.pass).toBe(true);
    expect((await run([{ text: "About 44,000 yen." }], approved)).scores.same_tools?.pass).toBe(false);
    expect((await run([{ text: "It depends." }], rejected)).scores.not_repeated?.pass).toBe(false);
    expect(
      (await run([{ text: "Yes: its temples and gardens are worth two days." }], rejected)).scores.not_repeated?.pass,
    ).toBe(true);
  });
});
