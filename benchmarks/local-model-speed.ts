import { loadavg } from "node:os";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";
import { maxThreadsOf, startThreadGovernor, type ThreadSetting } from "realtime-agent";

/** How fast one GGUF runs here: load, time to first token for a short prompt, and decode speed. */
export interface ModelSpeed {
  loadMs: number;
  timeToFirstTokenMs: number;
  promptTokens: number;
  decodeTokensPerSecond: number;
  threads: ThreadSetting;
  /** The 1-minute load average when the measurement started: how busy the machine was. */
  loadAverage: number;
  date: string;
}

// About 35 tokens, in the ChatML turns both catalogue formats share; each run names another subject so
// that no run reuses the previous run's evaluated prompt.
const subjects = ["Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jonas"];
const promptFor = (run: number) =>
  `<|im_start|>user\n${subjects[run % subjects.length]} asks: why does the sky look blue during the day and red at sunset?<|im_end|>\n<|im_start|>assistant\n`;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Loads the model once with `threads` CPU threads (`auto`: as many as the machine leaves idle, as the
 * shipped provider runs them) and generates `decodeTokens` tokens `runs` times
 * (medians reported). Decode speed counts the tokens after the first over the time after the first.
 */
export async function measureModelSpeed(options: {
  modelPath: string;
  threads: ThreadSetting;
  runs?: number;
  decodeTokens?: number;
}): Promise<ModelSpeed> {
  const runs = options.runs ?? 3;
  const loadAverage = loadavg()[0] ?? 0;
  const date = new Date().toISOString();
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, logLevel: LlamaLogLevel.error });
  const loadStarted = performance.now();
  const model = await llama.loadModel({ modelPath: options.modelPath });
  const maxThreads = maxThreadsOf(options.threads);
  const auto = options.threads === "auto";
  const context = await model.createContext({
    contextSize: 1024,
    threads: auto ? { ideal: maxThreads, min: 1 } : maxThreads,
  });
  const governor = auto ? startThreadGovernor(llama, { maxThreads }) : undefined;
  const loadMs = performance.now() - loadStarted;
  const sequence = context.getSequence();
  const firstTokens: number[] = [];
  const decodeRates: number[] = [];
  let promptTokens = 0;
  try {
    for (let run = 0; run < runs; run++) {
      const completion = new LlamaCompletion({ contextSequence: sequence });
      await sequence.clearHistory();
      const prompt = promptFor(run);
      promptTokens = model.tokenize(prompt, true).length;
      let firstAt: number | undefined;
      let tokens = 0;
      const started = performance.now();
      await completion.generateCompletion(model.tokenize(prompt, true), {
        maxTokens: options.decodeTokens ?? 48,
        temperature: 0,
        onToken: (generated) => {
          firstAt ??= performance.now();
          tokens += generated.length;
        },
      });
      const ended = performance.now();
      completion.dispose();
      if (firstAt === undefined || tokens < 2) continue;
      firstTokens.push(firstAt - started);
      decodeRates.push((tokens - 1) / ((ended - firstAt) / 1000));
    }
  } finally {
    governor?.stop();
    await context.dispose();
    await model.dispose();
  }
  return {
    loadMs: Math.round(loadMs),
    timeToFirstTokenMs: Math.round(median(firstTokens)),
    promptTokens,
    decodeTokensPerSecond: Math.round(median(decodeRates) * 10) / 10,
    threads: options.threads,
    loadAverage: Math.round(loadAverage * 100) / 100,
    date,
  };
}
