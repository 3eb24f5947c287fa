import { describe, expect, it } from "vitest";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { echoModel } from "realtime-agent/testing";
import { cacheSuite, loadCacheCases } from "./suite.ts";

const cases = loadCacheCases();

describe("cache suite", () => {
  it("has at least 30 paraphrases and 30 near-duplicates in each language, each near-duplicate saying what differs", () => {
    for (const language of ["en", "es"])
      for (const category of ["paraphrase", "near_duplicate"])
        expect(
          cases.filter((item) => item.language === language && item.category === category).length,
        ).toBeGreaterThanOrEqual(30);
    expect(cases.filter((item) => item.category === "near_duplicate").every((item) => item.differs_in)).toBe(true);
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length);
  });

  it("holds out pairs written without seeing the guard: enough near-duplicates to bound false hits near 0.5 %", () => {
    const heldOut = cases.filter((item) => item.split === "held-out");
    expect(heldOut.filter((item) => item.category === "near_duplicate").length).toBeGreaterThanOrEqual(400);
    expect(heldOut.filter((item) => item.category === "paraphrase").length).toBeGreaterThanOrEqual(150);
    const asked = new Set(cases.filter((item) => item.split === "dev").map((item) => `${item.stored}|${item.asked}`));
    expect(heldOut.filter((item) => asked.has(`${item.stored}|${item.asked}`))).toEqual([]);
  });

  it("scores a served paraphrase and a refused near-duplicate as right, on the real embedder", async () => {
    const context = { driver: new InProcessDriver({ model: echoModel() }), judge: undefined, seed: 1, repeat: 0 };
    const paraphrase = cases.find((item) => item.id === "en-paraphrase-01")!;
    const reversed = cases.find((item) => item.id === "en-near-01")!;
    expect(await cacheSuite.runCase(paraphrase, context)).toMatchObject({
      output: "served",
      scores: { correct: { pass: true } },
    });
    expect(await cacheSuite.runCase(reversed, context)).toMatchObject({
      output: "not served",
      scores: { correct: { pass: true } },
    });
  });
});
