import { availableParallelism, cpus, totalmem } from "node:os";

/** The machine a benchmark ran on, as report JSON (snake_case) keeps it. */
export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_gib: number;
  node: string;
  platform: string;
  date: string;
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu_model: cpus()[0]?.model ?? "unknown",
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
