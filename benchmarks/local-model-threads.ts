// Decode speed of a local model with 1 and 2 CPU threads, on the machine as it is and with one more
// process keeping a core busy (`node -e 'for(;;){}'`), to choose RTA_THREADS' default.
// Writes benchmarks/reports/local-model-threads.md.
//   node --import tsx benchmarks/local-model-threads.ts [model-name] [runs] [decoded-tokens]
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findCatalogueModel, modelsDirectory } from "realtime-agent";
import { measureModelSpeed, type ModelSpeed } from "./local-model-speed.ts";
import { machineInfo } from "./machine-info.ts";

const modelName = process.argv[2] ?? "qwen2.5-coder-0.5b";
const runs = Number.parseInt(process.argv[3] ?? "3", 10);
const decodeTokens = Number.parseInt(process.argv[4] ?? "48", 10);
const model = findCatalogueModel(modelName);
const modelPath = join(modelsDirectory(), model.fileName);

async function withBusyCore<T>(work: () => Promise<T>): Promise<T> {
  const hog = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
  const stopHog = () => hog.kill("SIGKILL");
  process.once("exit", stopHog);
  await new Promise((resolve) => setTimeout(resolve, 500));
  try {
    return await work();
  } finally {
    stopHog();
    process.off("exit", stopHog);
  }
}

const rows: { threads: number; neighbour: string; speed: ModelSpeed }[] = [];
for (const neighbour of ["none", "one busy core"]) {
  for (const threads of [1, 2]) {
    const measure = () => measureModelSpeed({ modelPath, threads, runs, decodeTokens });
    const speed = neighbour === "none" ? await measure() : await withBusyCore(measure);
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
