import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { HistoryMessage } from "realtime-agent";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { CaseResult, EvalSuite } from "../../runner/types.ts";
import { verdict } from "../../scorers/types.ts";
import { loadJsonlCases } from "../jsonl-cases.ts";
import { type FeedbackCase, feedbackCaseSchema } from "./cases-from-feedback.ts";

/** Where `rta eval feedback --from-feedback` writes its cases and `rta eval feedback` reads them by default. */
export const defaultFeedbackCasesFile = "evals/feedback/cases.jsonl";

const folded = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();
const toolNames = (calls: readonly { name: string }[]) => [...new Set(calls.map((call) => call.name))].sort().join(",");
const sameCalls = (
  a: readonly { name: string; arguments: unknown }[],
  b: readonly { name: string; arguments: unknown }[],
) =>
  JSON.stringify(a.map((call) => [call.name, call.arguments])) ===
  JSON.stringify(b.map((call) => [call.name, call.arguments]));

export function readFeedbackCases(file: string): FeedbackCase[] {
  if (!existsSync(file))
    throw new Error(`No feedback cases at ${file}: make them with \`rta eval feedback --from-feedback\`.`);
  return loadJsonlCases(file, feedbackCaseSchema);
}

/**
 * Users' feedback as regression cases (made by `casesFromFeedback`): each rated turn's message is
 * asked again after the same earlier turns. An approved answer should come back with the same tools
 * (and, judged, be no worse); a rejected one should not come back (and, judged, be beaten).
 */
export function feedbackSuite(casesFile = defaultFeedbackCasesFile): EvalSuite<FeedbackCase> {
  return {
    name: "feedback",
    description:
      "Answers users rated (or asked again, or asked what they meant), asked again: approved answers keep their tools, rejected ones do not come back.",
    usesJudge: "optional",
    async loadCases(context) {
      const cases = readFeedbackCases(resolve(casesFile));
      return context.limit === undefined ? cases : cases.slice(0, context.limit);
    },
    async runCase(testCase, context) {
      const history: HistoryMessage[] = testCase.history.flatMap((turn) => [
        { role: "user" as const, content: turn.user },
        { role: "assistant" as const, content: turn.assistant },
      ]);
      const observation = await context.driver.runTurn({
        sessionId: `feedback-${testCase.id}-r${context.repeat}`,
        text: testCase.message,
        // Without history the session starts empty, as the rated turn's did.
        ...(history.length ? { history } : {}),
      });
      const answer = observation.text;
      const scores: CaseResult["scores"] = {};
      // The judge compares the new answer (first) with the one the user rated.
      const judged = context.judge
        ? (await context.judge.compare({ question: testCase.message, first: answer, second: testCase.answer })).winner
        : undefined;
      if (testCase.category === "approved") {
        const [wanted, called] = [toolNames(testCase.tools), toolNames(observation.toolCalls)];
        scores.same_tools = verdict(wanted === called, `rated answer called [${wanted}], this one [${called}]`);
        if (judged)
          scores.judged_not_worse = verdict(
            judged === "first" || judged === "tie",
            `judge: ${judged} (new answer first)`,
          );
      } else {
        const repeated =
          folded(answer) === folded(testCase.answer) &&
          sameCalls(
            observation.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments })),
            testCase.tools,
          );
        scores.not_repeated = verdict(!repeated, repeated ? "the rejected answer came back" : "a different answer");
        if (judged) scores.judged_better = verdict(judged === "first", `judge: ${judged} (new answer first)`);
      }
      return {
        id: testCase.id,
        category: testCase.category,
        input: testCase.message,
        output: answer,
        expected: testCase.category === "approved" ? testCase.answer : `not: ${testCase.answer}`,
        scores,
        tags: { signal: testCase.signal },
        values: {},
        ...outcomeFieldsOf(observation),
      };
    },
    metrics: [
      {
        name: "approved.same_tools",
        description: "Answers users approved, asked again: the same tools called.",
        higherIsBetter: true,
        unit: "ratio",
        of: (result) => result.scores.same_tools?.score,
      },
      {
        name: "approved.judged_not_worse",
        description: "Answers users approved, asked again: the judge finds the new answer as good or better.",
        higherIsBetter: true,
        unit: "ratio",
        of: (result) => result.scores.judged_not_worse?.score,
      },
      {
        name: "rejected.not_repeated",
        description:
          "Answers users rejected (rated bad, asked again, asked what they meant): the same answer does not come back.",
        higherIsBetter: true,
        unit: "ratio",
        byCategory: false,
        of: (result) => result.scores.not_repeated?.score,
      },
      {
        name: "rejected.judged_better",
        description: "Answers users rejected, asked again: the judge prefers the new answer.",
        higherIsBetter: true,
        unit: "ratio",
        of: (result) => result.scores.judged_better?.score,
      },
    ],
  };
}
