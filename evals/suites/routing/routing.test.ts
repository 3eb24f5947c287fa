import { describe, expect, it } from "vitest";
import { echoModel } from "realtime-agent/testing";
import { defaultSpecialistExamples } from "realtime-agent";
import { InProcessDriver } from "../../runner/in-process-driver.ts";
import { loadRoutingCases, routedRight, routingSuite } from "./suite.ts";

const cases = loadRoutingCases();

describe("routing suite", () => {
  it("has ten messages per specialist and language, follow-ups and two-field messages, none among the router's examples", () => {
    for (const language of ["en", "es"])
      for (const label of ["travel", "finance", "tech", "general"])
        expect(
          cases.filter((item) => item.kind === "single" && item.language === language && item.label === label),
        ).toHaveLength(10);
    expect(cases.filter((item) => item.kind === "follow_up").every((item) => item.previous)).toBe(true);
    expect(cases.filter((item) => item.kind === "mixed").every((item) => item.also && item.also !== item.label)).toBe(
      true,
    );
    const examples = new Set(defaultSpecialistExamples().map((example) => example.text.toLowerCase()));
    expect(cases.filter((item) => examples.has(item.text.toLowerCase()))).toEqual([]);
    expect(new Set(cases.map((item) => item.id)).size).toBe(cases.length);
  });

  it("counts a two-field message right only when one answers and the other may be consulted", () => {
    const mixed = cases.find((item) => item.kind === "mixed")!;
    expect(routedRight(mixed, { specialist: mixed.label, consultable: [mixed.also!] })).toBe(true);
    expect(routedRight(mixed, { specialist: mixed.also!, consultable: [mixed.label] })).toBe(true);
    expect(routedRight(mixed, { specialist: mixed.label, consultable: [] })).toBe(false);
    expect(routedRight(mixed, { specialist: "general", consultable: [mixed.label, mixed.also!] })).toBe(false);
  });

  it("scores a case on the real embedder, with the no-router baseline beside it", async () => {
    const context = { driver: new InProcessDriver({ model: echoModel() }), judge: undefined, seed: 1, repeat: 0 };
    const weather = cases.find((item) => item.id === "en-travel-single-08")!;
    const result = await routingSuite.runCase(weather, context);
    expect(result).toMatchObject({
      output: "travel",
      scores: { correct: { pass: true }, without_router: { pass: false } },
    });
  });
});
