import { describe, expect, it } from "vitest";
import { ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { runSuite } from "../../runner/run-suite.ts";
import { loadReasoningCases, reasoningSuite } from "./suite.ts";

describe("reasoning suite", () => {
  it("holds the word problems of both languages", () => {
    const cases = loadReasoningCases();
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((item) => item.language))).toEqual(new Set(["en", "es"]));
    expect(cases.every((item) => item.category === "multi_step")).toBe(true);
  });

  it("answers each problem once as usual and once with the chains, and scores both against the right answer", async () => {
    const [first] = loadReasoningCases();
    expect(first!.answers).toContain("8");
    const model = new ScriptedModel([
      // The single chain: wrong.
      { text: "She gets 12 euros back." },
      // The four chains, then the synthesis: right.
      { text: "Answer: 8" },
      { text: "Answer: 8" },
      { text: "Answer: 12" },
      { text: "Answer: 8" },
      { text: "She gets 8 euros back." },
    ]);
    const report = await runSuite(reasoningSuite, {
      driver: new InProcessDriver({ model }),
      limit: 1,
      progress: false,
      datasetsDirectory: "unused",
    });
    const [result] = report.cases;
    expect(result!.scores).toMatchObject({ single: { pass: false }, chains: { pass: true } });
    expect(report.metrics["accuracy.single"]!.value).toBe(0);
    expect(report.metrics["accuracy.chains"]!.value).toBe(1);
    expect(report.metrics.chains_minus_single!.value).toBe(1);
    expect(model.requests[0]!.messages[0]!.content).not.toContain("Think analytically");
    expect(model.requests[1]!.messages[0]!.content).toContain("Think analytically");
    model.assertDone();
  });
});
