import { hostname } from "node:os";
import { type Job, Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { erroredCase } from "./run-suite.ts";
import type { CaseResult, EvalCase } from "./types.ts";

/** The queue `rta eval --workers` puts cases on and `rta worker` takes them from (RTA_EVAL_QUEUE). */
export const defaultEvalQueue = "rta-evals";

/** One case of a run, as a worker needs it to run it exactly as `rta eval` would in-process. */
export interface CaseJob {
  runId: string;
  /** Suite name as `rta eval` takes it, and the category it was narrowed to. */
  suite: string;
  category?: string;
  /** The case itself (cases are plain data), so workers need no copy of the datasets. */
  testCase: EvalCase;
  /** Index of the case run in the report, and its repeat. */
  index: number;
  repeat: number;
  seed: number;
  toolRouting: string;
  judged: boolean;
}

export interface CaseJobResult {
  result: CaseResult;
  provider: string;
  model: string;
  /** Which worker ran it (host and process), for the logs. */
  worker: string;
}

/**
 * A connection for BullMQ. A run gives up on a Redis it never reached after a few tries (so a wrong
 * REDIS_URL ends the command instead of retrying for ever); once connected, and always for a worker,
 * it keeps trying, to outlive a Redis restart. Connection
 * errors are reported once through `onError`, not as unhandled error events.
 */
function connectionTo(redisUrl: string, options: { giveUp?: boolean; onError?: (error: Error) => void } = {}): Redis {
  let connectedOnce = false;
  const connection = new Redis(redisUrl, {
    maxRetriesPerRequest: null,
    // Giving up is for a first connection that never comes; once connected, a restart is waited out.
    retryStrategy: (times) => (options.giveUp && !connectedOnce && times > 5 ? null : Math.min(times * 200, 2_000)),
  });
  connection.once("ready", () => {
    connectedOnce = true;
  });
  let reported = false;
  connection.on("error", (error: Error) => {
    if (!reported) options.onError?.(error);
    reported = true;
  });
  return connection;
}

/**
 * Puts a run's cases on the queue and waits for every result, in the run's order. A worker that dies
 * mid-case loses nothing: its lock lapses, BullMQ finds the case stalled and gives it to another worker
 * (up to `maxStalledCount` times, see `startCaseWorker`). A case that fails even so comes back as a
 * case with an error, like one that failed in-process.
 */
export async function runCasesOnQueue(
  jobs: readonly CaseJob[],
  options: {
    redisUrl: string;
    queueName?: string;
    onResult?: (result: CaseJobResult) => void;
    /** Rejects when the run can no longer finish (e.g. every local worker exited). */
    abandoned?: Promise<never>;
    connectTimeoutMs?: number;
  },
): Promise<CaseJobResult[]> {
  const queueName = options.queueName ?? defaultEvalQueue;
  // BullMQ leaves connections it is given open: they are closed here, once the queue is done with them.
  const connections = [
    connectionTo(options.redisUrl, { giveUp: true }),
    connectionTo(options.redisUrl, { giveUp: true }),
  ];
  const queue = new Queue(queueName, { connection: connections[0]! });
  const events = new QueueEvents(queueName, { connection: connections[1]! });
  // Connection errors surface as the connect timeout below, once, rather than as one dump per retry.
  queue.on("error", () => {});
  events.on("error", () => {});
  try {
    await withTimeout(
      events.waitUntilReady(),
      options.connectTimeoutMs ?? 10_000,
      `Redis at ${safeUrl(options.redisUrl)} did not answer`,
    );
    const added = await queue.addBulk(
      jobs.map((job) => ({
        name: job.suite,
        data: job,
        opts: { jobId: `${job.runId}-${job.index}`, removeOnComplete: { age: 3600 }, removeOnFail: { age: 86_400 } },
      })),
    );
    const results = Promise.all(
      added.map(async (queued, position) => {
        const job = jobs[position]!;
        let finished: CaseJobResult;
        try {
          finished = (await queued.waitUntilFinished(events)) as CaseJobResult;
        } catch (error) {
          finished = failedCase(job, error);
        }
        options.onResult?.(finished);
        return finished;
      }),
    );
    // Stop waiting when the run can no longer finish (its local workers all died).
    return await (options.abandoned ? Promise.race([results, options.abandoned]) : results);
  } finally {
    // Cases of this run still waiting (the run failed or was stopped) must not go to the next run's
    // workers. Bounded: with Redis gone, cleaning up must not hang the command.
    const cleanUp = async () => {
      const leftover = await queue.getJobs(["waiting", "delayed", "prioritized"]);
      await Promise.allSettled(
        leftover.filter((job) => job?.id?.startsWith(`${jobs[0]?.runId}-`)).map((job) => job.remove()),
      );
      await Promise.allSettled([events.close(), queue.close()]);
    };
    await withTimeout(cleanUp(), 5_000, "cleaning up the queue").catch(() => {});
    for (const connection of connections) connection.disconnect();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms.`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A Redis URL without its password, for messages. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "REDIS_URL";
  }
}

function failedCase(job: CaseJob, error: unknown): CaseJobResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    provider: "unknown",
    model: "unknown",
    worker: "none",
    result: erroredCase(job.testCase, job.repeat, {
      code: "EVAL_CASE_LOST",
      message: `The case failed on the queue: ${message}`,
    }),
  };
}

export interface CaseWorkerOptions {
  redisUrl: string;
  queueName?: string;
  /** Cases at once in this process (default 1: the local model is the bottleneck). */
  concurrency?: number;
  /** How long a case's lock holds without renewal: a killed worker's case is retried after this (default 30 s). */
  lockMs?: number;
  run: (job: CaseJob) => Promise<Omit<CaseJobResult, "worker">>;
  onEvent?: (event: "started" | "finished", job: CaseJob) => void;
  /** The first error of the connection to Redis (it keeps retrying). */
  onConnectionError?: (error: Error) => void;
}

/** Takes cases off the queue and runs them until closed. */
export function startCaseWorker(options: CaseWorkerOptions): { name: string; close(): Promise<void> } {
  const name = `${hostname()}:${process.pid}`;
  const lockMs = options.lockMs ?? 30_000;
  const connection = connectionTo(options.redisUrl, { onError: options.onConnectionError });
  const worker = new Worker(
    options.queueName ?? defaultEvalQueue,
    async (job: Job<CaseJob>) => {
      options.onEvent?.("started", job.data);
      const done = await options.run(job.data);
      options.onEvent?.("finished", job.data);
      return { ...done, worker: name } satisfies CaseJobResult;
    },
    {
      connection,
      concurrency: Math.max(1, options.concurrency ?? 1),
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.round(lockMs / 2)),
      maxStalledCount: 3,
    },
  );
  return {
    name,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}
