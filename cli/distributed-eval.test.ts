import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";

// `rta eval --workers` against real Redis and real worker processes on the local model (SmolLM2, as in
// the other CLI tests): the report matches a local run with the same seed, and a worker killed in the
// middle of a case loses nothing.
const bin = join(dirname(fileURLToPath(import.meta.url)), "../bin/rta.js");
const folder = mkdtempSync(join(tmpdir(), "rta-distributed-"));
const env = {
  ...process.env,
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  RTA_EVAL_QUEUE: `rta-evals-test-${process.pid}-${Date.now()}`,
  RTA_EVAL_LOCK_MS: "2000",
  RTA_THREADS: "1",
};
const evalArgs = ["eval", "bfcl", "--category", "simple", "--limit", "4", "--seed", "7", "--quiet"];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(folder, { recursive: true, force: true });
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(env.RTA_EVAL_QUEUE, { connection });
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
});

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines: string[] = [];
  let pending = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const complete = pending.split("\n");
    pending = complete.pop()!;
    lines.push(...complete);
  });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const logged = (message: string) =>
    lines.flatMap((line) => {
      try {
        const parsed = z.object({ message: z.string(), case: z.string().optional() }).parse(JSON.parse(line));
        return parsed.message === message ? [parsed] : [];
      } catch {
        return [];
      }
    });
  const until = async (message: string) => {
    while (logged(message).length === 0) {
      if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited: ${lines.join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return logged(message)[0]!;
  };
  return { child, exited, logged, until };
}

const caseSchema = z.object({
  id: z.string(),
  output: z.string(),
  tool_calls: z.array(z.unknown()),
  scores: z.record(z.string(), z.unknown()),
  error: z.unknown().optional(),
});
const readCases = (directory: string) =>
  z.object({ cases: z.array(caseSchema) }).parse(JSON.parse(readFileSync(join(directory, "report.json"), "utf8")))
    .cases;

describe("rta eval --workers", () => {
  it("runs the cases on worker processes, gives the local run's report, and retries a killed worker's case", async () => {
    const local = start([...evalArgs, "--concurrency", "1", "--out", join(folder, "local")]);
    expect(await local.exited).toBe(0);

    const doomed = start(["worker"]);
    const survivor = start(["worker"]);
    await Promise.all([doomed.until("worker ready"), survivor.until("worker ready")]);
    const coordinator = start([...evalArgs, "--workers", "0", "--out", join(folder, "queued")]);
    const started = await doomed.until("case started");
    doomed.child.kill("SIGKILL");
    expect(await coordinator.exited).toBe(0);

    const expected = readCases(join(folder, "local"));
    const queued = readCases(join(folder, "queued"));
    expect(queued.map((entry) => entry.id)).toEqual(expected.map((entry) => entry.id));
    expect(queued.filter((entry) => entry.error)).toEqual([]);
    for (const [index, entry] of queued.entries()) {
      expect(entry.tool_calls).toEqual(expected[index]!.tool_calls);
      expect(entry.output).toEqual(expected[index]!.output);
      expect(entry.scores).toEqual(expected[index]!.scores);
    }
    // The case the killed worker had started was finished by the other one.
    expect(survivor.logged("case finished").map((line) => line.case)).toContain(started.case);
    survivor.child.kill("SIGTERM");
    expect(await survivor.exited).toBe(0);
  });
});
