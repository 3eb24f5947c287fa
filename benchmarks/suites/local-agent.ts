import { createRuntime, runtimeConfigFromEnv } from "realtime-agent/runtime";
import type { Agent } from "realtime-agent";
import type { BenchmarkDefinition } from "../bench-types.ts";

const chatQuestions = [
  "Tell me a fun fact about octopuses.",
  "Give me a tip for sleeping better.",
  "¿Me recomiendas una película para esta noche?",
  "What is a good name for a grey cat?",
  "Escribe una frase bonita sobre el mar.",
  "How do I say thank you in Japanese?",
];
const calculatorQuestions = [
  "What is 17 times 23?",
  "¿Cuánto es el 15% de 860?",
  "Divide 2048 by 16",
  "Calcula 3,5 al cuadrado",
];

interface TurnTiming {
  /** From sending the message to the first token of the answer the user reads (after any tool round). */
  firstAnswerTokenMs: number;
  answerTokens: number;
  decodeMs: number;
}

async function timeTurn(agent: Agent, text: string, memory: { peakRss: number }): Promise<TurnTiming> {
  const started = performance.now();
  let firstAnswerToken: number | undefined;
  let finished: number | undefined;
  let answerTokens = 0;
  const sampler = setInterval(() => {
    memory.peakRss = Math.max(memory.peakRss, process.memoryUsage().rss);
  }, 25);
  try {
    for await (const event of agent.runTurn({ sessionId: `bench-${started}`, text })) {
      if (event.type === "text-delta" && event.text.length > 0) firstAnswerToken ??= performance.now();
      if (event.type === "turn-finish") {
        finished = performance.now();
        answerTokens = event.usage.outputTokens;
      }
      if (event.type === "error") throw new Error(`${event.code}: ${event.message}`);
    }
  } finally {
    clearInterval(sampler);
  }
  const first = firstAnswerToken ?? finished ?? performance.now();
  return { firstAnswerTokenMs: first - started, answerTokens, decodeMs: (finished ?? first) - first };
}

/** A sample's figure: the time to the first answer token, not the whole turn's duration. */
const firstAnswerTokenMs = (sample: unknown) => (sample as TurnTiming).firstAnswerTokenMs;

/**
 * The shipped agent on the local model, as a user meets it: the default system prompt, the built-in
 * tools, the tool predictor, the prompt cache warmed as the server warms it. Time to the first answer
 * token for plain chat and for a turn that calls the calculator, the answer's decode speed, and the
 * server process's memory idle and during turns.
 */
export function localAgentBenchmarks(): BenchmarkDefinition[] {
  let agent: Agent | undefined;
  const memory = { idleRss: 0, peakRss: 0 };
  const ready = async () => {
    if (!agent) {
      agent = createRuntime(runtimeConfigFromEnv());
      await timeTurn(agent, "Hello!", memory); // loads the model and the embedder
      await agent.warmUp(); // as `rta serve` does after loading: the system turns with each tool
      memory.idleRss = process.memoryUsage().rss;
    }
    return agent;
  };
  const decode = { tokens: 0, milliseconds: 0 };
  let chat = 0;
  let calculation = 0;
  return [
    {
      name: "agent.first_token_plain_chat",
      unit: "ms to first token",
      group: "local-agent",
      iterations: 6,
      measure: firstAnswerTokenMs,
      run: async () => {
        const timing = await timeTurn(await ready(), chatQuestions[chat++ % chatQuestions.length]!, memory);
        if (timing.answerTokens > 1) {
          decode.tokens += timing.answerTokens - 1;
          decode.milliseconds += timing.decodeMs;
        }
        return timing;
      },
      derive: () => ({
        answer_decode_tokens_per_s: decode.milliseconds > 0 ? (decode.tokens / decode.milliseconds) * 1000 : 0,
      }),
    },
    {
      name: "agent.first_answer_token_calculator_turn",
      unit: "ms to first answer token",
      group: "local-agent",
      iterations: 4,
      measure: firstAnswerTokenMs,
      run: async () =>
        timeTurn(await ready(), calculatorQuestions[calculation++ % calculatorQuestions.length]!, memory),
      derive: () => ({
        rss_idle_mb: memory.idleRss / 2 ** 20,
        rss_peak_during_turns_mb: memory.peakRss / 2 ** 20,
      }),
    },
  ];
}
