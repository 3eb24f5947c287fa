import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createLogger } from "realtime-agent";
import { createJudge } from "../../evals/judge/select-judge.ts";
import type { Judge } from "../../evals/judge/judge.ts";
import { type CaseJob, defaultEvalQueue, runCasesOnQueue, startCaseWorker } from "../../evals/runner/case-queue.ts";
import { runOneCase, type RunOptions } from "../../evals/runner/run-suite.ts";
import type { EvalSuite } from "../../evals/runner/types.ts";
import { evalDriver, learnsProfiles, suiteNamed } from "./eval-setup.ts";

export const workerUsage = `rta worker [--concurrency N]   run eval cases from the queue in Redis until stopped

  Takes the cases \`rta eval <suite> --workers N\` puts on the queue (REDIS_URL; RTA_EVAL_QUEUE, default
  ${defaultEvalQueue}) and runs them on this machine's agent, as \`rta eval\` would in-process (RTA_LOCAL_MODEL,
  RTA_THREADS… apply). Start as many as you like, on any machine that reaches the Redis. A worker
  stopped mid-case loses nothing: after RTA_EVAL_LOCK_MS (default 30000) another worker runs the case.

  --concurrency N    cases at once in this process (default 1)`;

function redisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error("REDIS_URL must point at the Redis that holds the eval queue.");
  return url;
}

function lockMs(): number | undefined {
  const value = Number(process.env.RTA_EVAL_LOCK_MS);
  return Number.isFinite(value) && value >= 1000 ? value : undefined;
}

/** `rta worker`: runs queued cases, keeping one driver per tool routing and one suite per name. */
export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { concurrency: { type: "string" } } });
  const logger = createLogger({ level: (process.env.RTA_LOG_LEVEL as never) ?? "info", name: "rta.worker" });
  const drivers = new Map<string, ReturnType<typeof evalDriver>>();
  const suites = new Map<string, EvalSuite>();
  let judge: Promise<Judge> | undefined;
  const run = async (job: CaseJob) => {
    const suiteKey = `${job.suite}/${job.category ?? ""}`;
    const suite = suites.get(suiteKey) ?? suiteNamed(job.suite, job.category);
    suites.set(suiteKey, suite);
    const driverKey = `${job.toolRouting}/${learnsProfiles(suite)}`;
    const agent = drivers.get(driverKey) ?? evalDriver(job.toolRouting, undefined, learnsProfiles(suite));
    drivers.set(driverKey, agent);
    const options: Pick<RunOptions, "driver" | "judge" | "pricing"> = { driver: agent.driver };
    if (job.judged) {
      judge ??= createJudge({ best: agent.model });
      options.judge = await judge;
    }
    if (agent.model.id === "local") options.pricing = { inputPerMillion: 0, outputPerMillion: 0 };
    const seen = { provider: "unknown", model: "unknown" };
    const runnable = job.judged ? suite : { ...suite, usesJudge: undefined };
    const result = await runOneCase(runnable, job.testCase, job.repeat, options, job.seed, seen);
    return { result, ...seen };
  };
  const worker = startCaseWorker({
    redisUrl: redisUrl(),
    queueName: process.env.RTA_EVAL_QUEUE || defaultEvalQueue,
    concurrency: Math.max(1, Number(values.concurrency ?? 1) || 1),
    ...(lockMs() ? { lockMs: lockMs()! } : {}),
    run,
    onConnectionError: (error) => logger.warn("redis unavailable; retrying", { error: error.message }),
    onEvent: (event, job) =>
      logger.info(`case ${event}`, { run: job.runId, suite: job.suite, case: job.testCase.id, index: job.index }),
  });
  logger.info("worker ready", { worker: worker.name, queue: process.env.RTA_EVAL_QUEUE || defaultEvalQueue });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await worker.close();
  await Promise.allSettled([...drivers.values()].map((agent) => agent.driver.close()));
  return 0;
}

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "rta.js");

/**
 * What `rta eval --workers N` needs: the cases go on the queue as jobs, `localWorkers` worker processes
 * start beside it (with this process's environment), and the results come back in the run's order.
 */
export function distributedRun(run: {
  suite: string;
  category?: string;
  seed: number;
  routing: string;
  judged: boolean;
  localWorkers: number;
}): { runCases: NonNullable<RunOptions["runCases"]>; close(): Promise<void> } {
  const url = redisUrl();
  const queueName = process.env.RTA_EVAL_QUEUE || defaultEvalQueue;
  const children: ChildProcess[] = Array.from({ length: run.localWorkers }, () =>
    spawn(process.execPath, [bin, "worker"], { stdio: ["ignore", "inherit", "inherit"], env: process.env }),
  );
  const runId = `run${randomUUID().slice(0, 8)}`;
  // The run ends early, with an error, when it can no longer finish or is asked to stop: when every
  // local worker has exited (a model that failed to load, a bad environment; only if no remote worker
  // was meant to help, i.e. RTA_EVAL_REMOTE_WORKERS is not set), or on SIGINT/SIGTERM, which also stops
  // the local workers. Its waiting cases are then removed from the queue (runCasesOnQueue).
  let abandon: (error: Error) => void = () => {};
  const abandoned = new Promise<never>((_, reject) => {
    abandon = reject;
  });
  abandoned.catch(() => {});
  if (children.length > 0 && !process.env.RTA_EVAL_REMOTE_WORKERS) {
    let exited = 0;
    for (const child of children)
      child.once("exit", (code) => {
        exited += 1;
        if (exited === children.length)
          abandon(
            new Error(`all ${children.length} local workers exited (last with code ${code}); see their output above.`),
          );
      });
  }
  const stop = (signal: NodeJS.Signals) => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    process.exitCode = 130;
    abandon(new Error(`stopped by ${signal}.`));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    runCases: async (jobs, onResult) => {
      const finished = await runCasesOnQueue(
        jobs.map((job) => ({
          runId,
          suite: run.suite,
          ...(run.category ? { category: run.category } : {}),
          testCase: job.testCase,
          index: job.index,
          repeat: job.repeat,
          seed: run.seed,
          toolRouting: run.routing,
          judged: run.judged,
        })),
        { redisUrl: url, queueName, onResult: (done) => onResult(done.result), abandoned },
      );
      const answered = finished.find((done) => done.provider !== "unknown");
      return {
        results: finished.map((done) => done.result),
        provider: answered?.provider ?? "unknown",
        model: answered?.model ?? "unknown",
      };
    },
    close: async () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once("exit", () => resolve());
              child.kill("SIGTERM");
            }),
        ),
      );
    },
  };
}
