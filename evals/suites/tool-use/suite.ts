import { builtInTools } from "realtime-agent/runtime";
import type { ModelCall } from "../../bfcl/ast-match.ts";
import type { CaseResult, EvalSuite, MetricDefinition } from "../../runner/types.ts";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import { loadAllToolUseCases, type ToolUseCase } from "./dataset.ts";
import { type EvaluateExpression, scoreArguments, scoreToolChoice } from "./match-calls.ts";

/**
 * Evaluates an expression with the shipped calculator tool, so "15% of 320" and "0.15 * 320" both count,
 * read in the user's language as the agent passes it ("2.500" is 2500 in Spanish).
 */
export function calculatorEvaluator(language?: string): EvaluateExpression {
  const calculator = builtInTools({}).get("calculator")?.tool;
  if (!calculator) throw new Error("The calculator plugin is not registered.");
  const context = {
    signal: new AbortController().signal,
    sessionId: "tool-use-eval",
    callId: "score",
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    // The calculator never touches the network: any request is a bug.
    fetch: () => Promise.reject(new Error("The calculator has no network access.")),
    ...(language ? { language } : {}),
  };
  return async (expression) => {
    try {
      const { result } = (await calculator.execute({ expression }, context)) as { result: number | string };
      const value = typeof result === "number" ? result : Number.parseFloat(result);
      return Number.isFinite(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * A call's arguments as the tool reads them: its input schema applied (currency names become codes,
 * "yenes" → JPY); arguments the schema rejects are scored as written.
 */
function asToolReadsIt(call: ModelCall): ModelCall {
  const parsed = shippedTools.get(call.name)?.tool.inputSchema.safeParse(call.arguments);
  return parsed?.success ? { ...call, arguments: parsed.data as Record<string, unknown> } : call;
}
const shippedTools = builtInTools({});

const slices: [string, (result: CaseResult) => boolean][] = [
  ["dev", (result) => result.tags.split === "dev"],
  ["heldout", (result) => result.tags.split === "heldout"],
  ["blind", (result) => result.tags.split === "blind"],
  ["en", (result) => result.tags.language === "en"],
  ["es", (result) => result.tags.language === "es"],
];

const evaluators = new Map<string, EvaluateExpression>();

const needsTool = (result: CaseResult) => result.tags.expects_call === "yes";

function sliced(base: Omit<MetricDefinition, "of">, of: (result: CaseResult) => number | undefined) {
  return [
    { ...base, of },
    ...slices.map(([slice, keep]) => ({
      ...base,
      name: `${base.name}.${slice}`,
      description: `${base.description} (${slice} cases only)`,
      byCategory: false,
      of: (result: CaseResult) => (keep(result) ? of(result) : undefined),
    })),
  ];
}

export const toolUseSuite: EvalSuite<ToolUseCase> = {
  name: "tool-use",
  description:
    "The project's own tool-use requests (English and Spanish): built-in tools, two-tool requests, follow-ups and plain chat; tool choice and arguments of the first model decision.",
  async loadCases(context) {
    const cases = loadAllToolUseCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context) {
    let evaluate = evaluators.get(testCase.language);
    if (!evaluate) {
      evaluate = calculatorEvaluator(testCase.language);
      evaluators.set(testCase.language, evaluate);
    }
    const history = testCase.previous
      ? [
          { role: "user" as const, content: testCase.previous.user },
          { role: "assistant" as const, content: testCase.previous.assistant },
        ]
      : [];
    const observation = await context.driver.runTurn({
      sessionId: `tool-use-${testCase.id}-r${context.repeat}`,
      text: testCase.message,
      history,
      planOnly: true,
      maxOutputTokens: 64,
    });
    const calls = observation.toolCalls.map(asToolReadsIt);
    const expectsCall = testCase.expected.length > 0;
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.previous
        ? `[previous] ${testCase.previous.user} → ${testCase.previous.assistant}\n${testCase.message}`
        : testCase.message,
      output: calls.length ? JSON.stringify(calls) : observation.text,
      expected: expectsCall ? JSON.stringify(testCase.expected) : "(no call)",
      scores: {
        tool_choice: scoreToolChoice(calls, testCase.expected),
        call_decision: {
          score: Number(calls.length > 0 === expectsCall),
          pass: calls.length > 0 === expectsCall,
          reason: `${calls.length > 0 ? "called" : "did not call"}; ${expectsCall ? "a call" : "no call"} was needed`,
        },
        ...(expectsCall ? { arguments: await scoreArguments(calls, testCase.expected, evaluate) } : {}),
      },
      tags: { language: testCase.language, split: testCase.split, expects_call: expectsCall ? "yes" : "no" },
      values: {},
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    ...sliced(
      {
        name: "tool_choice",
        description: "Share of cases calling exactly the expected tools (none for plain chat).",
        higherIsBetter: true,
        unit: "ratio",
        byCategory: true,
      },
      (result) => result.scores.tool_choice?.score ?? 0,
    ),
    ...sliced(
      {
        name: "arguments",
        description: "Share of cases needing tools whose every expected call has the right arguments.",
        higherIsBetter: true,
        unit: "ratio",
        byCategory: true,
      },
      (result) => (needsTool(result) ? (result.scores.arguments?.score ?? 0) : undefined),
    ),
    {
      name: "no_call_on_chat",
      description: "Plain chat (no tool needed): share answered without calling a tool.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => (needsTool(result) ? undefined : (result.scores.call_decision?.score ?? 0)),
    },
    {
      name: "call_when_needed",
      description: "Requests needing a tool: share where the model called at least one.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => (needsTool(result) ? (result.scores.call_decision?.score ?? 0) : undefined),
    },
  ],
};
