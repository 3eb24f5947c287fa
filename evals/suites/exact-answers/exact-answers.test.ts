import { describe, expect, it } from "vitest";
import { ScriptedModel } from "realtime-agent/testing";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { runSuite } from "../../runner/run-suite.ts";
import { renderMarkdown } from "../../runner/report-markdown.ts";
import { renderHtml } from "../../runner/report-html.ts";
import { parseRunReport } from "../../runner/report-schema.ts";
import { answersRight, exactAnswersSuite, loadExactCases } from "./suite.ts";

describe("exact-answers suite", () => {
  it("has facts and word problems in both languages, half held out, each with its right answers", () => {
    const cases = loadExactCases();
    for (const language of ["en", "es"])
      for (const category of ["fact", "multi_step"])
        expect(
          cases.filter((item) => item.language === language && item.category === category).length,
        ).toBeGreaterThanOrEqual(20);
    expect(cases.filter((item) => item.split === "held-out").length).toBe(cases.length / 2);
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length);
  });

  it("reads a fact as a word, and a word problem by the last number it gives", () => {
    expect(answersRight("The capital of Australia is Canberra.", ["Canberra"], "fact")).toBe(true);
    expect(answersRight("La capital es Brasília.", ["Brasília", "Brasilia"], "fact")).toBe(true);
    expect(answersRight("It is Sydney.", ["Canberra"], "fact")).toBe(false);
    expect(answersRight("Its symbol is Au.", ["Au"], "fact")).toBe(true);
    expect(answersRight("Gold is a beautiful metal.", ["Au"], "fact")).toBe(false);
    expect(answersRight("4 pens cost 12 euros, so she gets 8 euros back.", ["8"], "multi_step")).toBe(true);
    expect(answersRight("She pays 20 and the pens cost 8, so 12.", ["8"], "multi_step")).toBe(false);
    expect(answersRight("Corre 2.200 metros.", ["2200", "2.200"], "multi_step")).toBe(true);
    expect(answersRight("It arrives at 11:30.", ["11:30"], "multi_step")).toBe(true);
    expect(answersRight("Cuestan 9,5 euros.", ["9"], "multi_step")).toBe(false);
  });

  it("reports the answers' confidence against their correctness: reliability bins, ECE, in JSON, markdown and HTML", async () => {
    const cases = loadExactCases().slice(0, 4);
    // Two sure answers (one right, one wrong), one unsure right one, one without a confidence.
    const model = new ScriptedModel([
      { text: "Canberra.", confidence: 0.95 },
      { text: "Toronto.", confidence: 0.9 },
      { text: `${cases[2]!.answers[0]}.`, confidence: 0.35 },
      { text: "No idea." },
    ]);
    const report = await runSuite(exactAnswersSuite, {
      driver: new InProcessDriver({ model }),
      limit: 4,
      progress: false,
      datasetsDirectory: "unused",
    });
    expect(report.cases.map((result) => result.scores.correct!.pass)).toEqual([true, false, true, false]);
    expect(report.calibration).toMatchObject({ score: "correct", n: 3, without_confidence: 1 });
    expect(report.calibration!.bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(report.calibration!.bins[9]!.mean_confidence).toBeCloseTo(0.925, 9);
    expect(report.calibration!.bins[3]).toMatchObject({ count: 1, accuracy: 1, mean_confidence: 0.35 });
    // ECE = 2/3·|0.5 − 0.925| + 1/3·|1 − 0.35|
    expect(report.calibration!.ece).toBeCloseTo((2 / 3) * 0.425 + (1 / 3) * 0.65, 9);
    const parsed = parseRunReport(JSON.parse(JSON.stringify(report)));
    expect(parsed.ok && parsed.report.calibration).toEqual(report.calibration);
    expect(renderMarkdown(report)).toContain("expected calibration error 0.500");
    expect(renderHtml(report)).toContain("<h2>Confidence calibration</h2>");
  });
});
