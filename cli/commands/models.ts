import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type CatalogueModel,
  findCatalogueModel,
  modelCatalogue,
  modelsDirectory,
  resolveLocalModel,
  threadsFromEnv,
  maxThreadsOf,
} from "realtime-agent";
import { measureModelSpeed, type ModelSpeed } from "../../benchmarks/local-model-speed.ts";
import { readSpeedCache, recordSpeed, speedCachePath } from "./model-speed-cache.ts";

export const modelsUsage = `rta models [--json]
  The named local models: size, whether the file is present, its prompt format, and the speed last
  measured on this machine. RTA_LOCAL_MODEL=<name> picks one (RTA_MODEL_PATH runs any GGUF instead).
rta models --measure [name ...] [--threads N]
  Measures load time, time to first token and decode speed of the named (default: every present)
  model, and keeps the figures in .rta/model-speed.json for the listing. Threads: --threads, else
  RTA_THREADS, else the default.`;

type FileState = "present" | "missing" | "incomplete";

function fileState(model: CatalogueModel): FileState {
  const path = join(modelsDirectory(), model.fileName);
  if (!existsSync(path)) return "missing";
  return statSync(path).size === model.bytes ? "present" : "incomplete";
}

function describeSpeed(speed: ModelSpeed | undefined, name: string): string {
  if (!speed) return `not measured (rta models --measure ${name})`;
  const threads =
    speed.threads === "auto" ? "threads auto" : speed.threads === 1 ? "1 thread" : `${speed.threads} threads`;
  return (
    `load ${(speed.loadMs / 1000).toFixed(1)} s, first token ${speed.timeToFirstTokenMs} ms ` +
    `(${speed.promptTokens}-token prompt), ${speed.decodeTokensPerSecond} tok/s ` +
    `(${threads}, ${speed.date.slice(0, 10)}, load average ${speed.loadAverage})`
  );
}

export async function modelsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean" }, measure: { type: "boolean" }, threads: { type: "string" } },
  });
  const cachePath = speedCachePath();
  if (values.measure) {
    const threads = values.threads ? Number(values.threads) : maxThreadsOf(threadsFromEnv());
    if (!Number.isInteger(threads) || threads <= 0) throw new Error(`--threads must be a positive integer.`);
    const chosen = positionals.length
      ? positionals.map(findCatalogueModel)
      : modelCatalogue.models.filter((model) => fileState(model) === "present");
    for (const model of chosen) {
      if (fileState(model) !== "present") {
        process.stderr.write(`${model.name}: not present; fetch it with npm run setup -- ${model.name}\n`);
        continue;
      }
      process.stderr.write(`measuring ${model.name} with ${threads} thread(s) ...\n`);
      const speed = await measureModelSpeed({ modelPath: join(modelsDirectory(), model.fileName), threads });
      recordSpeed(cachePath, model.name, speed);
      process.stdout.write(`${model.name}: ${describeSpeed(speed, model.name)}\n`);
    }
    return 0;
  }

  const speeds = readSpeedCache(cachePath);
  const inUse = process.env.RTA_MODEL_PATH ? undefined : resolveLocalModel().catalogueModel?.name;
  const rows = modelCatalogue.models.map((model) => ({
    name: model.name,
    title: model.title,
    summary: model.summary,
    bytes: model.bytes,
    file: fileState(model),
    chatFormat: model.chatFormat,
    default: model.name === modelCatalogue.defaultModel,
    inUse: model.name === inUse,
    speed: speeds[model.name] ?? null,
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ modelsDirectory: modelsDirectory(), models: rows }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`Local models in ${modelsDirectory()} (* = in use; RTA_LOCAL_MODEL=<name> picks one)\n`);
  for (const row of rows) {
    const file = row.file === "present" ? "present" : `${row.file}: npm run setup -- ${row.name}`;
    process.stdout.write(
      `${row.inUse ? "*" : " "} ${row.name.padEnd(20)} ${`${Math.round(row.bytes / 1e6)} MB`.padStart(8)}  ${row.title}${row.default ? " (default)" : ""}\n` +
        `    ${row.summary}\n    file: ${file} · format: ${row.chatFormat} · ${describeSpeed(row.speed ?? undefined, row.name)}\n`,
    );
  }
  if (process.env.RTA_MODEL_PATH)
    process.stdout.write(`* RTA_MODEL_PATH is set: running ${process.env.RTA_MODEL_PATH}\n`);
  return 0;
}
