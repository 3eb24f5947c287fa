// Baseline figures for the embedded local model on this machine (median of RTA_BENCH_RUNS, default 5):
// model load time, time to first token and decode speed for a ~30-token prompt, and the server's
// resident memory idle and during a turn. Writes benchmarks/reports/local-model-baseline.{json,md}.
//   npm run bench:local
import { readFileSync, writeFileSync } from "node:fs";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { LocalModelProvider, resolveModelPath, threadsFromEnv, maxThreadsOf } from "realtime-agent";
import { connect } from "realtime-agent/client";
import { startServerProcess } from "../server/server-process.ts";
import { machineInfo, median } from "./machine-info.ts";

const runs = Number.parseInt(process.env.RTA_BENCH_RUNS ?? "5", 10);
const prompt =
  "Explain in a few sentences why the sky looks blue during the day and red at sunset, for a curious child who likes science.";
// Each run opens with a different subject so that no run reuses another's evaluated prompt.
const subjects = ["Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Iris", "Jonas", "Kira", "Liam"];
const promptFor = (run: number) => `${subjects[run % subjects.length]} asks: ${prompt}`;

async function measureLoad(): Promise<number[]> {
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, logLevel: LlamaLogLevel.error });
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const model = await llama.loadModel({ modelPath: resolveModelPath() });
    const context = await model.createContext({
      contextSize: 4096,
      sequences: 2,
      threads: maxThreadsOf(threadsFromEnv()),
    });
    times.push(performance.now() - started);
    await context.dispose();
    await model.dispose();
  }
  return times;
}

async function measureGeneration() {
  const provider = new LocalModelProvider();
  const loaded = await provider.load();
  const promptTokens = loaded.model.tokenize(promptFor(0)).length;
  const samples: { timeToFirstTokenMs: number; decodeTokensPerSecond: number; outputTokens: number }[] = [];
  for (let run = 0; run < runs + 1; run++) {
    const started = performance.now();
    let firstAt: number | undefined;
    let outputTokens = 0;
    for await (const event of provider.stream({
      messages: [{ role: "user", content: promptFor(run) }],
      tools: [],
      toolChoice: "none",
      maxOutputTokens: 96,
    })) {
      if (event.type === "text-delta") firstAt ??= performance.now();
      if (event.type === "finish") outputTokens = event.usage.outputTokens;
    }
    const ended = performance.now();
    if (run === 0 || firstAt === undefined) continue; // the first run warms caches
    samples.push({
      timeToFirstTokenMs: firstAt - started,
      decodeTokensPerSecond: (outputTokens - 1) / ((ended - firstAt) / 1000),
      outputTokens,
    });
  }
  return { promptTokens, samples };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number.parseInt(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "0", 10);
  return kib / 1024;
}

async function measureServerMemory() {
  const server = await startServerProcess();
  const pid = server.child.pid!;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idle: number[] = [];
    for (let run = 0; run < runs; run++) {
      idle.push(rssMiB(pid));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const client = await connect(server.wsUrl, { sessionId: "bench-memory" });
    const duringTurn: number[] = [];
    for (let run = 0; run < runs; run++) {
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB(pid));
      }, 10);
      await client.send(run % 2 ? "What is 12.5% of 3,480?" : promptFor(run)).done;
      clearInterval(sampler);
      duringTurn.push(peak);
    }
    await client.close();
    return { idle, duringTurn };
  } finally {
    await server.stop();
  }
}

const load = await measureLoad();
const generation = await measureGeneration();
const memory = await measureServerMemory();
const report = {
  machine: machineInfo(),
  model: resolveModelPath().split("/").pop(),
  runs,
  load_ms: { median: median(load), samples: load },
  prompt_tokens: generation.promptTokens,
  time_to_first_token_ms: {
    median: median(generation.samples.map((sample) => sample.timeToFirstTokenMs)),
    samples: generation.samples.map((sample) => sample.timeToFirstTokenMs),
  },
  decode_tokens_per_second: {
    median: median(generation.samples.map((sample) => sample.decodeTokensPerSecond)),
    samples: generation.samples.map((sample) => sample.decodeTokensPerSecond),
  },
  server_rss_mib: {
    idle_median: median(memory.idle),
    during_turn_median_peak: median(memory.duringTurn),
    idle_samples: memory.idle,
    during_turn_peaks: memory.duringTurn,
  },
};
const round = (value: number) => Math.round(value * 10) / 10;
const markdown = `# Local model baseline

${report.machine.date} · ${report.machine.cores} cores · ${report.machine.cpu_model} · Node ${report.machine.node} · model ${report.model}
Median of ${runs} runs (\`npm run bench:local\`).

| figure | median |
| --- | --- |
| model load (weights + context) | ${round(report.load_ms.median)} ms |
| time to first token, ${report.prompt_tokens}-token prompt (+ chat template) | ${round(report.time_to_first_token_ms.median)} ms |
| decode speed | ${round(report.decode_tokens_per_second.median)} tokens/s |
| server RSS, idle (model loaded) | ${round(report.server_rss_mib.idle_median)} MiB |
| server RSS, peak during a turn | ${round(report.server_rss_mib.during_turn_median_peak)} MiB |
`;
writeFileSync(new URL("./reports/local-model-baseline.json", import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(new URL("./reports/local-model-baseline.md", import.meta.url), markdown);
process.stdout.write(markdown);
