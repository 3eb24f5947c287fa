import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { resolveModelPath, LocalModelProvider, threadsFromEnv, maxThreadsOf } from "realtime-agent";
import type { BenchmarkDefinition } from "../bench-types.ts";

const subjects = [
  "Anna",
  "Ben",
  "Chloe",
  "David",
  "Emma",
  "Felix",
  "Grace",
  "Hugo",
  "Iris",
  "Jonas",
  "Kira",
  "Liam",
  "Mona",
  "Nils",
  "Olga",
  "Paul",
];
let counter = 0;
/** A different opening every time, so no run reuses the evaluated prompt of another. */
const fresh = (text: string) => `${subjects[counter++ % subjects.length]} (${counter}) asks: ${text}`;
const shortPrompt = "What is the capital of France?";
const mediumPrompt = `Here are my notes from a week of travel. ${"We walked along the river, visited two museums, ate noodles at a small stall near the station, and took the evening train back to the city while it rained. ".repeat(5)}Summarize the notes in one sentence.`;

/** Time to first token, decode speed and load time of the embedded local model. */
export function localModelBenchmarks(): BenchmarkDefinition[] {
  const provider = new LocalModelProvider();
  const timeToFirstToken = async (prompt: string) => {
    const controller = new AbortController();
    for await (const event of provider.stream({
      messages: [{ role: "user", content: fresh(prompt) }],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: 64,
      signal: controller.signal,
    })) {
      if (event.type === "text-delta") controller.abort();
    }
  };
  const decode = { tokens: 0, milliseconds: 0 };
  return [
    {
      name: "local.load_model",
      unit: "ms/load",
      group: "local-model",
      iterations: 5,
      run: async () => {
        const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, logLevel: LlamaLogLevel.error });
        const model = await llama.loadModel({ modelPath: resolveModelPath() });
        const context = await model.createContext({
          contextSize: 4096,
          sequences: 2,
          threads: maxThreadsOf(threadsFromEnv()),
        });
        await context.dispose();
        await model.dispose();
      },
    },
    {
      name: "local.time_to_first_token_short_prompt",
      unit: "ms to first token",
      group: "local-model",
      iterations: 12,
      run: () => timeToFirstToken(shortPrompt),
    },
    {
      name: "local.time_to_first_token_medium_prompt",
      unit: "ms to first token",
      group: "local-model",
      iterations: 12,
      run: () => timeToFirstToken(mediumPrompt),
    },
    {
      name: "local.decode_64_tokens",
      unit: "ms/answer",
      group: "local-model",
      iterations: 6,
      run: async () => {
        let first: number | undefined;
        let tokens = 0;
        for await (const event of provider.stream({
          messages: [{ role: "user", content: fresh("Write a long story about a lighthouse keeper.") }],
          tools: [],
          toolChoice: "none",
          maxOutputTokens: 64,
        })) {
          if (event.type === "text-delta") first ??= performance.now();
          if (event.type === "finish") tokens = event.usage.outputTokens;
        }
        if (first !== undefined && tokens > 1) {
          decode.tokens += tokens - 1;
          decode.milliseconds += performance.now() - first;
        }
      },
      derive: () => ({
        decode_tokens_per_s: decode.milliseconds > 0 ? (decode.tokens / decode.milliseconds) * 1000 : 0,
      }),
    },
  ];
}
