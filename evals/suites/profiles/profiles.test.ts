import { describe, expect, it } from "vitest";
import { ScriptedModel } from "realtime-agent/testing";
import { InMemorySessionStore } from "realtime-agent";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { followsProfile, loadProfileCases, profilesSuite } from "./suite.ts";

const cases = loadProfileCases();

describe("profiles suite", () => {
  it("has every kind of lesson in both languages", () => {
    for (const category of ["brief", "detailed", "language", "lists"])
      for (const language of ["en", "es"])
        expect(cases.filter((item) => item.category === category && item.language === language).length).toBeGreaterThan(
          1,
        );
  });

  it("scores length, lists and language against the lesson", () => {
    const find = (id: string) => cases.find((item) => item.id === id)!;
    expect(followsProfile(find("brief-en-01"), "Rome grew from a village to an empire.").pass).toBe(true);
    expect(followsProfile(find("brief-en-01"), "word ".repeat(40)).pass).toBe(false);
    expect(followsProfile(find("detailed-en-01"), "word ".repeat(50)).pass).toBe(true);
    expect(followsProfile(find("lists-en-01"), "Try these:\n- the Louvre\n- a boat on the Seine").pass).toBe(true);
    expect(followsProfile(find("lists-en-01"), "The Louvre and the Seine.").pass).toBe(false);
    expect(followsProfile(find("language-es-01"), "El resultado es 84.").pass).toBe(true);
    expect(followsProfile(find("language-es-01"), "The result is 84.").pass).toBe(false);
  });

  it("gives each case a user of its own: the probe runs in a new session of the teaching user", async () => {
    const owners: (string | undefined)[] = [];
    const sessions: string[] = [];
    const driver = new InProcessDriver({
      model: new ScriptedModel(Array.from({ length: 4 }, () => ({ text: "Vale." }))),
      store: new InMemorySessionStore(),
      profiles: true,
    });
    const recording = {
      ...driver,
      name: driver.name,
      supportsCustomTools: true,
      runTurn: (request: Parameters<typeof driver.runTurn>[0]) => {
        owners.push(request.owner);
        sessions.push(request.sessionId);
        return driver.runTurn(request);
      },
      close: () => driver.close(),
    };
    const testCase = cases.find((item) => item.id === "language-es-01")!;
    await profilesSuite.runCase(testCase, { driver: recording, judge: undefined, seed: 1, repeat: 0 });
    expect(new Set(owners).size).toBe(1);
    expect(sessions.slice(0, 3).every((session) => session === sessions[0])).toBe(true);
    expect(sessions[3]).not.toBe(sessions[0]);
  });
});
