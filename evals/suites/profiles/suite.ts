import { detectLanguage } from "realtime-agent";
import { z } from "zod";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { CaseResult, EvalSuite } from "../../runner/types.ts";
import { verdict } from "../../scorers/types.ts";
import { loadJsonlCases } from "../jsonl-cases.ts";

const profileCaseSchema = z
  .object({
    id: z.string(),
    /** What the user shows in `teach`: brief or detailed answers, lists, their language. */
    category: z.enum(["brief", "detailed", "language", "lists"]),
    language: z.enum(["en", "es"]),
    /** Messages of one earlier session of the user's. */
    teach: z.array(z.string()).min(1),
    /** The message of a new session, whose answer should show what was learned. */
    probe: z.string(),
  })
  .strict();
export type ProfileCase = z.infer<typeof profileCaseSchema>;

export function loadProfileCases(): ProfileCase[] {
  return loadJsonlCases(new URL("./cases.jsonl", import.meta.url), profileCaseSchema);
}

/** Briefer than this many words counts as brief; longer than `detailedWords` as detailed. */
export const briefWords = 25;
export const detailedWords = 45;

const wordsIn = (text: string) => text.split(/\s+/).filter(Boolean).length;
/** Lines that start a list item: "- ", "* ", "• ", "1. ", "2) ". */
const listItems = (text: string) => text.split("\n").filter((line) => /^\s*(?:[-*•]|\d+[.)])\s+\S/.test(line)).length;

/** How a probe's answer shows the lesson of its case. */
export function followsProfile(testCase: ProfileCase, answer: string) {
  switch (testCase.category) {
    case "brief":
      return verdict(wordsIn(answer) <= briefWords, `${wordsIn(answer)} words (brief: at most ${briefWords})`);
    case "detailed":
      return verdict(
        wordsIn(answer) >= detailedWords,
        `${wordsIn(answer)} words (detailed: at least ${detailedWords})`,
      );
    case "lists":
      return verdict(listItems(answer) >= 2, `${listItems(answer)} list items (at least 2)`);
    case "language": {
      const detected = detectLanguage(answer)?.language;
      return verdict(
        detected === testCase.language,
        `answer read as ${detected ?? "no language"}, the user writes ${testCase.language}`,
      );
    }
  }
}

/**
 * Whether the agent carries what a user showed in one session (brief or detailed answers, lists,
 * their language) into their next one. Each case is a user of its own: a teaching session, then a
 * probe in a new session. Run it as shipped (profiles on) and with RTA_PROFILES=off, the same agent
 * without them, and compare the two reports with --baseline.
 */
export const profilesSuite: EvalSuite<ProfileCase> = {
  name: "profiles",
  description:
    "A user's preferences shown in one session (brief or detailed answers, lists, their language) carried into their next session.",
  profiles: true,
  async loadCases(context) {
    const cases = loadProfileCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context) {
    // A user of the case's own, so that no case learns from another.
    const owner = `profiles-${testCase.id}-r${context.repeat}-${context.seed}`;
    for (const text of testCase.teach)
      await context.driver.runTurn({ sessionId: `${owner}-teach`, owner, text, maxOutputTokens: 48 });
    const observation = await context.driver.runTurn({
      sessionId: `${owner}-probe`,
      owner,
      text: testCase.probe,
      maxOutputTokens: 160,
    });
    const scores: CaseResult["scores"] = { follows_profile: followsProfile(testCase, observation.text) };
    return {
      id: testCase.id,
      category: testCase.category,
      input: `${testCase.teach.join(" / ")} → ${testCase.probe}`,
      output: observation.text,
      expected: testCase.category,
      scores,
      tags: { language: testCase.language },
      values: { words: wordsIn(observation.text) },
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    {
      name: "follows_profile",
      description: "Probe answers that show the preference the user gave in an earlier session.",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => result.scores.follows_profile?.score ?? 0,
    },
  ],
};
