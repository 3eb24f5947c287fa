import { detectLanguage, type Tool } from "realtime-agent";
import { builtInTools } from "realtime-agent/runtime";
import { z } from "zod";
import { loadJsonlCases } from "../jsonl-cases.ts";
import { outcomeFieldsOf } from "../../runner/in-process-driver.ts";
import type { CaseResult, EvalSuite, MetricDefinition } from "../../runner/types.ts";
import { extractNumbers, numericMatch } from "../../scorers/text.ts";
import { verdict } from "../../scorers/types.ts";

const answerCaseSchema = z
  .object({
    id: z.string(),
    language: z.enum(["en", "es"]),
    category: z.enum(["calculator", "weather", "currency", "web_search", "chat"]),
    message: z.string(),
    /** A message in the other language sent first in the same session: the answer must follow the switch. */
    previous: z.string().optional(),
    /** calculator: the result the answer must quote. */
    value: z.number().optional(),
    /** offline services: the service the answer must name. */
    service: z.string().optional(),
  })
  .strict();
export type AnswerCase = z.infer<typeof answerCaseSchema>;

export function loadAnswerCases(): AnswerCase[] {
  return loadJsonlCases(new URL("./cases.jsonl", import.meta.url), answerCaseSchema);
}

/**
 * The built-in tools with every outside service unreachable (a closed loopback port) and web search
 * unconfigured, as on a machine without internet: the calculator works, every other tool fails.
 */
export function offlineTools(): Tool[] {
  const closed = "http://127.0.0.1:9";
  return builtInTools({
    RTA_TOOLS_ALLOW_PRIVATE: "127.0.0.1",
    RTA_CURRENCY_URL: closed,
    RTA_WEATHER_GEOCODING_URL: `${closed}/v1/search`,
    RTA_WEATHER_FORECAST_URL: `${closed}/v1/forecast`,
    RTA_COINGECKO_URL: `${closed}/api/v3`,
    RTA_ALPHA_VANTAGE_URL: closed,
  })
    .list()
    .map((registered) => registered.tool);
}

/** Numbers in the answer that the question did not contain: figures the service would have given. */
export function inventedNumbers(answer: string, question: string): number[] {
  const given = new Set(
    extractNumbers(question.replace(/(\d),(\d)(?!\d{2})/g, "$1.$2")).concat(extractNumbers(question)),
  );
  return extractNumbers(answer).filter((value) => !given.has(value) && !given.has(Math.abs(value)));
}

export function languageScore(answer: string, expected: string) {
  const detected = detectLanguage(answer)?.language;
  return verdict(detected === expected, `answer read as ${detected ?? "no language"}, the user wrote ${expected}`);
}

/**
 * Talk about the exchange instead of an answer: "La respuesta proporcionada es correcta. Cuando un tool
 * calcula una expresión…" (the 0.5B model, reading a tool result in Spanish), "The tool response…".
 */
const metaTalk = /\b(?:tools?|herramientas?|respuesta proporcionada|tool response)\b/i;

export function metaTalkScore(answer: string) {
  const found = answer.match(metaTalk)?.[0];
  return verdict(found === undefined, found ? `talks about the exchange ("${found}")` : "answers the user");
}

let tools: Tool[] | undefined;

const byCategory = (category: string, of: (result: CaseResult) => number | undefined) => (result: CaseResult) =>
  result.category === category ? of(result) : undefined;
const offline = (result: CaseResult) => result.tags.offline === "yes";

export const answersSuite: EvalSuite<AnswerCase> = {
  name: "answers",
  description:
    "What the user reads (English and Spanish): calculator results quoted, offline services named without an invented figure, plain chat answered, always in the user's language and without protocol text.",
  needsCustomTools: true,
  async loadCases(context) {
    const cases = loadAnswerCases();
    return context.limit === undefined ? cases : cases.slice(0, context.limit);
  },
  async runCase(testCase, context) {
    tools ??= offlineTools();
    const sessionId = `answers-${testCase.id}-r${context.repeat}`;
    if (testCase.previous)
      await context.driver.runTurn({ sessionId, text: testCase.previous, tools, maxOutputTokens: 96 });
    const observation = await context.driver.runTurn({
      sessionId,
      text: testCase.message,
      tools,
      maxOutputTokens: 96,
    });
    const answer = observation.text;
    const called = observation.toolCalls.map((call) => call.name);
    const scores: CaseResult["scores"] = {
      language: languageScore(answer, testCase.language),
      no_meta_talk: metaTalkScore(answer),
    };
    if (testCase.category === "calculator" && testCase.value !== undefined) {
      const quoted = numericMatch(answer, testCase.value, { relative: 0.001 });
      scores.quotes_result = verdict(
        called.includes("calculator") && quoted.pass,
        `${called.includes("calculator") ? "called the calculator" : "no calculator call"}; ${quoted.reason}`,
      );
    } else if (testCase.service) {
      const invented = inventedNumbers(answer, testCase.message);
      scores.names_service = verdict(
        answer.toLowerCase().includes(testCase.service.toLowerCase()),
        `${testCase.service} ${answer.toLowerCase().includes(testCase.service.toLowerCase()) ? "named" : "not named"}`,
      );
      scores.invents_nothing = verdict(
        invented.length === 0,
        invented.length ? `numbers the service would have given: ${invented.join(", ")}` : "no invented figure",
      );
    } else {
      scores.no_call = verdict(called.length === 0, called.length ? `called ${called.join(", ")}` : "no tool call");
    }
    return {
      id: testCase.id,
      category: testCase.category,
      input: testCase.message,
      output: answer,
      expected: testCase.value !== undefined ? String(testCase.value) : (testCase.service ?? "(a plain answer)"),
      scores,
      tags: {
        language: testCase.language,
        offline: testCase.service ? "yes" : "no",
        switched: testCase.previous ? "yes" : "no",
      },
      values: {},
      ...outcomeFieldsOf(observation),
    };
  },
  metrics: [
    ...(["en", "es"] as const).map(
      (language): MetricDefinition => ({
        name: `language.${language}`,
        description: `Answers to ${language === "en" ? "English" : "Spanish"} messages written in that language.`,
        higherIsBetter: true,
        unit: "ratio",
        of: (result) => (result.tags.language === language ? (result.scores.language?.score ?? 0) : undefined),
      }),
    ),
    {
      name: "language.after_switch",
      description:
        "Answers written in the user's language when the message before it, in the same session, was in the other one.",
      higherIsBetter: true,
      unit: "ratio",
      of: (result) => (result.tags.switched === "yes" ? (result.scores.language?.score ?? 0) : undefined),
    },
    {
      name: "no_meta_talk",
      description:
        "Answers that answer the user instead of talking about the exchange (the tool, its response, 'the answer provided is correct').",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => result.scores.no_meta_talk?.score ?? 0,
    },
    {
      name: "calculator.quoted",
      description: "Calculator requests whose answer quotes the calculator's result.",
      higherIsBetter: true,
      unit: "ratio",
      of: byCategory("calculator", (result) => result.scores.quotes_result?.score ?? 0),
    },
    {
      name: "offline.names_service",
      description: "Requests to an unreachable or unconfigured service whose answer names that service.",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => (offline(result) ? (result.scores.names_service?.score ?? 0) : undefined),
    },
    {
      name: "offline.invents_nothing",
      description: "Requests to an unreachable or unconfigured service answered without a made-up figure.",
      higherIsBetter: true,
      unit: "ratio",
      byCategory: true,
      of: (result) => (offline(result) ? (result.scores.invents_nothing?.score ?? 0) : undefined),
    },
    {
      name: "chat.no_call",
      description: "Plain chat answered without a tool call.",
      higherIsBetter: true,
      unit: "ratio",
      of: byCategory("chat", (result) => result.scores.no_call?.score ?? 0),
    },
  ],
};
