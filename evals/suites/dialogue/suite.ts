import { readFile } from "node:fs/promises";
import { z } from "zod";
import { protocolLeaks } from "../../scorers/protocol-leak.ts";
import { containsAll, numericMatch } from "../../scorers/text.ts";
import type { ScoreResult } from "../../scorers/types.ts";
import type { CaseOutcome, EvalSuite, TurnObservation } from "../../runner/types.ts";
import { usageFieldsOf } from "../../runner/in-process-driver.ts";

const expectationSchema = z.object({
  tool: z.string().optional(),
  numeric: z.number().optional(),
  tolerance: z.number().optional(),
  contains: z.array(z.string()).optional(),
  context: z.boolean().optional(),
});
const dialogueFileSchema = z.object({
  description: z.string(),
  cases: z.array(
    z.object({ id: z.string(), turns: z.array(z.object({ user: z.string(), expect: expectationSchema })).min(1) }),
  ),
});
type Expectation = z.infer<typeof expectationSchema>;

interface DialogueCase {
  id: string;
  category: string;
  turns: { user: string; expect: Expectation }[];
}

/** Checks one turn against what the conversation file expects of it. */
export function scoreTurn(observation: TurnObservation, expect: Expectation): ScoreResult {
  const problems: string[] = [];
  if (observation.error) problems.push(`error ${observation.error.code}`);
  if (expect.tool && !observation.toolCalls.some((call) => call.name === expect.tool))
    problems.push(`${expect.tool} not used`);
  if (expect.numeric !== undefined) {
    const fromTools = observation.toolResults.map((result) => JSON.stringify(result.result ?? "")).join(" ");
    const numeric = numericMatch(`${observation.text} ${expect.tool ? fromTools : ""}`, expect.numeric, {
      absolute: expect.tolerance ?? 0.01,
    });
    if (!numeric.pass) problems.push(numeric.reason);
  }
  if (expect.contains) {
    const contains = containsAll(observation.text, expect.contains);
    if (!contains.pass) problems.push(contains.reason);
  }
  return problems.length === 0
    ? { score: 1, pass: true, reason: "as expected" }
    : { score: 0, pass: false, reason: problems.join("; ") };
}

export const dialogueSuite: EvalSuite<DialogueCase> = {
  name: "dialogue",
  description:
    "Multi-turn sessions (the seed's Japan trip): context must carry across turns and the calculator must do the currency arithmetic.",
  usesJudge: "optional",
  async loadCases(context) {
    const file = dialogueFileSchema.parse(
      JSON.parse(await readFile(new URL("./japan-trip.json", import.meta.url), "utf8")),
    );
    const cases = file.cases.map((item) => ({ id: item.id, category: "japan-trip", turns: item.turns }));
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context): Promise<CaseOutcome> {
    const sessionId = `${testCase.id}-r${context.repeat}-${Date.now()}`;
    const turnScores: Record<string, ScoreResult> = {};
    const transcript: string[] = [];
    let usage = { inputTokens: 0, outputTokens: 0 };
    let totalMs = 0;
    let firstTimeToFirstToken: number | undefined;
    let calculatorExpected = 0;
    let calculatorUsed = 0;
    let contextCarried: number | undefined;
    const judged: number[] = [];
    const toolCalls: CaseOutcome["tool_calls"] = [];
    const leaks = new Set<string>();
    let last: TurnObservation | undefined;

    for (const [index, turn] of testCase.turns.entries()) {
      const observation = await context.driver.runTurn({ sessionId, text: turn.user });
      last = observation;
      const score = scoreTurn(observation, turn.expect);
      turnScores[`turn_${index + 1}`] = score;
      transcript.push(
        `user: ${turn.user}`,
        ...observation.toolCalls.map((call) => `tool: ${call.name}(${JSON.stringify(call.arguments)})`),
        `agent: ${observation.text}`,
      );
      usage = {
        inputTokens: usage.inputTokens + observation.usage.inputTokens,
        outputTokens: usage.outputTokens + observation.usage.outputTokens,
      };
      totalMs += observation.totalMs;
      firstTimeToFirstToken ??= observation.timeToFirstTokenMs;
      toolCalls.push(...observation.toolCalls);
      for (const leak of protocolLeaks(observation.text)) leaks.add(leak);
      if (turn.expect.tool) {
        calculatorExpected++;
        if (observation.toolCalls.some((call) => call.name === turn.expect.tool)) calculatorUsed++;
      }
      if (turn.expect.context) contextCarried = score.pass ? 1 : 0;
      if (context.judge && !observation.error) {
        try {
          judged.push((await context.judge.rubric({ question: turn.user, answer: observation.text })).overall);
        } catch {
          // An unparseable verdict leaves this turn unjudged; the report counts judged turns as n.
        }
      }
    }
    const passed = Object.values(turnScores).filter((score) => score.pass).length;
    const values: Record<string, number> = { turn_pass_rate: passed / testCase.turns.length };
    if (calculatorExpected) values.calculator_used = calculatorUsed / calculatorExpected;
    if (contextCarried !== undefined) values.context_carried = contextCarried;
    if (judged.length) values.judge_overall = judged.reduce((sum, value) => sum + value, 0) / judged.length;
    const failures = Object.entries(turnScores)
      .filter(([, score]) => !score.pass)
      .map(([name, score]) => `${name}: ${score.reason}`);
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.turns.map((turn) => turn.user).join("\n"),
      output: transcript.join("\n"),
      expected: testCase.turns.map((turn) => JSON.stringify(turn.expect)).join("\n"),
      scores: {
        session: {
          score: passed === testCase.turns.length ? 1 : 0,
          pass: passed === testCase.turns.length,
          reason: failures.join(" | ") || "every turn as expected",
        },
        ...turnScores,
      },
      tags: {},
      values,
      time_to_first_token_ms: firstTimeToFirstToken ?? null,
      total_ms: totalMs,
      usage: usageFieldsOf(usage),
      tool_calls: toolCalls,
      protocol_leaks: [...leaks],
      provider: last?.provider ?? "",
      model: last?.model ?? "",
    };
  },
  metrics: [
    {
      name: "session_success",
      description: "Share of sessions where every turn met its expectation.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.scores.session?.score ?? 0,
    },
    {
      name: "turn_success",
      description: "Share of turns that met their expectation.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.values.turn_pass_rate ?? 0,
    },
    {
      name: "calculator_used",
      description: "Share of arithmetic turns where the calculator was called.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.values.calculator_used,
    },
    {
      name: "context_carried",
      description: "Share of sessions that answered a question about an earlier turn correctly.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => result.values.context_carried,
    },
    {
      name: "judge.overall",
      description: "LLM judge rubric (relevance, precision, clarity, completeness), mean scaled to 0-1.",
      higherIsBetter: true,
      unit: "score",
      of: (result) => result.values.judge_overall,
    },
  ],
};
