// Decode speed of a local model with 1 and 2 CPU threads, on the machine as it is and with one more
// process keeping a core busy (`node -e 'for(;;){}'`), to choose RTA_THREADS' default.
// Writes benchmarks/reports/local-model-threads.md.
//   node --import tsx benchmarks/local-model-threads.ts [model-name] [runs] [decoded-tokens]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findCatalogueModel, modelsDirectory, type ThreadSetting } from "realtime-agent";
import { measureModelSpeed, type ModelSpeed } from "./local-model-speed.ts";
import { machineInfo } from "./machine-info.ts";

const modelName = process.argv[2] ?? "qwen2.5-coder-0.5b";
const runs = Number.parseInt(process.argv[3] ?? "3", 10);
const decodeTokens = Number.parseInt(process.argv[4] ?? "48", 10);
const model = findCatalogueModel(modelName);
const modelPath = join(modelsDirectory(), model.fileName);

/** Runs `work` with another process keeping a core busy, from before the start or from `afterMs` in. */
async function withBusyCore<T>(work: () => Promise<T>, afterMs = 0): Promise<T> {
  let hog: ReturnType<typeof spawn> | undefined;
  const startHog = () => {
    hog = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
  };
  const stopHog = () => hog?.kill("SIGKILL");
  process.once("exit", stopHog);
  let timer: NodeJS.Timeout | undefined;
  if (afterMs > 0) timer = setTimeout(startHog, afterMs);
  else {
    startHog();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    stopHog();
    process.off("exit", stopHog);
  }
}

const neighbours: Record<string, (work: () => Promise<ModelSpeed>) => Promise<ModelSpeed>> = {
  none: (work) => work(),
  "one busy core": (work) => withBusyCore(work),
  // Starts while the model loads and decodes: what `auto` must notice on its own.
  "one busy core, from 3 s in": (work) => withBusyCore(work, 3000),
};
const rows: { threads: ThreadSetting; neighbour: string; speed: ModelSpeed }[] = [];
for (const [neighbour, withNeighbour] of Object.entries(neighbours)) {
  for (const threads of [1, 2, "auto"] as const) {
    const speed = await withNeighbour(() => measureModelSpeed({ modelPath, threads, runs, decodeTokens }));
    rows.push({ threads, neighbour, speed });
    process.stderr.write(`${threads} thread(s), neighbour ${neighbour}: ${JSON.stringify(speed)}\n`);
  }
}

const machine = machineInfo();
const report = [
  `# Local model threads: ${model.title}`,
  "",
  `Date ${machine.date}; ${machine.cores} cores (${machine.cpu_model}), ${machine.memory_gib} GiB, Node ${machine.node}.`,
  `Medians of ${runs} run(s) of ${decodeTokens} decoded tokens after a ${rows[0]?.speed.promptTokens}-token prompt.`,
  "The load average is the machine's 1-minute figure when each row started (other work included).",
  "",
  "| threads | extra busy process | decode tok/s | first token ms | load ms | load average |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    ({ threads, neighbour, speed }) =>
      `| ${threads} | ${neighbour} | ${speed.decodeTokensPerSecond} | ${speed.timeToFirstTokenMs} | ${speed.loadMs} | ${speed.loadAverage} |`,
  ),
  "",
  `Command: \`node --import tsx benchmarks/local-model-threads.ts ${modelName} ${runs} ${decodeTokens}\``,
  "",
].join("\n");
const path = join(dirname(fileURLToPath(import.meta.url)), "reports", "local-model-threads.md");
writeFileSync(path, report);
process.stdout.write(report);
