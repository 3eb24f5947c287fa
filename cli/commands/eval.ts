import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { resolveDatasetsDirectory } from "../../evals/datasets.ts";
import { createJudge } from "../../evals/judge/select-judge.ts";
import {
  defaultReportsRoot,
  listReportFiles,
  readReport,
  writeReportFiles,
  type RunListing,
} from "../../evals/runner/file-store.ts";
import { compareWithBaseline } from "../../evals/runner/gate.ts";
import { mergeReports } from "../../evals/runner/merge-reports.ts";
import { PostgresRunStore } from "../../evals/runner/postgres-store.ts";
import { renderMarkdown } from "../../evals/runner/report-markdown.ts";
import { commonMetrics, runSuite } from "../../evals/runner/run-suite.ts";
import type { EvalSuite } from "../../evals/runner/types.ts";
import { suites } from "../../evals/suites/index.ts";
import { loadSuiteConfig } from "../../evals/suites/suite-config.ts";
import { evalDriver, learnsProfiles, suiteNamed } from "./eval-setup.ts";
import { distributedRun } from "./worker.ts";
import { defaultFeedbackCasesFile, feedbackSuite } from "../../evals/suites/feedback/suite.ts";
import { feedbackCasesFromStore } from "./feedback-cases.ts";

export const evalUsage = `rta eval <suite> [options]      run an eval suite (${Object.keys(suites).join(", ")})
rta eval --list [--suite NAME]  list saved runs (PostgreSQL when DATABASE_URL is set, else files)

  --limit N          first N cases (per category where the suite has categories)
  --category NAME    only cases of this category (e.g. simple for bfcl)
  --repeat K         run every case K times        (defaults for these three: evals/suites/<suite>/config.json)
  --concurrency N    cases at once
  --seed S           seed for the model and the bootstrap
  --out DIR          where report.json, report.html, summary.md go (default evals/reports/<suite>/<run>)
  --baseline FILE    compare with an earlier report.json; exit 3 on a significant regression
  --tolerance T      regressions smaller than T are tolerated (default 0)
  --target URL       drive a running server over WebSocket (e.g. ws://127.0.0.1:3000/ws) instead of in-process
  --datasets DIR     folder with bfcl/ and xstest/ (default RTA_DATASETS_DIR, else ../shared/datasets)
  --no-judge         skip LLM-judge scores in suites that have them
  --merge FILE       (repeatable) merge report.json files of runs over parts of the suite (e.g. one per
                     --category) into one report with every metric recomputed; with --out and --baseline
  --tool-routing M   on, off or auto: offer the model only the tools that match the message best
                     (default: off for bfcl, which measures the model's own choice; auto elsewhere)
  --from-feedback    (feedback suite) first turn the ratings in the session store (DATABASE_URL, else the
                     embedded one: stop the server first) into cases, written to --cases; with --since DATE
  --cases FILE       (feedback suite) the cases file (default ${defaultFeedbackCasesFile})
  --workers N        put the cases on a queue in Redis (REDIS_URL; RTA_EVAL_QUEUE names it) and start N
                     local \`rta worker\` processes to run them (0: only workers started elsewhere, on any
                     machine); the report is the one a local run makes with the same seed. With N > 0
                     the run ends if every local worker exits (set RTA_EVAL_REMOTE_WORKERS=1 when others
                     help too); Ctrl-C stops it and takes its waiting cases off the queue

Exit codes: 0 done, 1 the run failed, 2 bad arguments, 3 the baseline gate found a significant regression.`;

export async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      limit: { type: "string" },
      category: { type: "string" },
      repeat: { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      out: { type: "string" },
      baseline: { type: "string" },
      tolerance: { type: "string" },
      target: { type: "string" },
      datasets: { type: "string" },
      list: { type: "boolean" },
      suite: { type: "string" },
      "no-judge": { type: "boolean" },
      quiet: { type: "boolean" },
      "tool-routing": { type: "string" },
      merge: { type: "string", multiple: true },
      workers: { type: "string" },
      "from-feedback": { type: "boolean" },
      cases: { type: "string" },
      since: { type: "string" },
    },
  });
  if (values.list) return listRuns(values.suite);

  const name = positionals[0];
  const baseSuite = name ? suites[name] : undefined;
  if (!baseSuite) {
    process.stderr.write(`${name ? `Unknown suite "${name}". ` : ""}${evalUsage}\n`);
    return 2;
  }
  const number = (flag: string, value: string | undefined, fallback?: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new Error(`--${flag} must be a non-negative number, got "${value}".`);
    return parsed;
  };
  if (values.merge) return mergeCommand(baseSuite, values.merge, values);
  if ((values["from-feedback"] || values.cases || values.since) && baseSuite.name !== "feedback")
    throw new Error("--from-feedback, --cases and --since belong to the feedback suite: rta eval feedback …");
  const casesFile = values.cases ?? defaultFeedbackCasesFile;
  if (values["from-feedback"]) {
    const written = await feedbackCasesFromStore(casesFile, values.since);
    process.stdout.write(
      `${written.approved} approved and ${written.rejected} rejected answer(s) from feedback → ${casesFile}\n`,
    );
    if (written.approved + written.rejected === 0) return 0;
  }
  if (values.cases && values.workers !== undefined)
    throw new Error("--workers runs the default feedback cases file only; drop --cases.");
  const suiteConfig = loadSuiteConfig(baseSuite.name);
  const suite = baseSuite.name === "feedback" ? feedbackSuite(casesFile) : suiteNamed(baseSuite.name, values.category);
  // BFCL measures the model's own tool choice unless asked to route; other suites run the shipped agent.
  const routing = values["tool-routing"] ?? suite.defaultToolRouting ?? "auto";
  const workers = number("workers", values.workers);
  if (workers !== undefined && values.target)
    throw new Error("--workers runs cases in-process on workers; drop --target.");
  const { driver, model } = evalDriver(routing, values.target, learnsProfiles(suite));
  if (suite.usesJudge === "required" && values["no-judge"])
    throw new Error(`Suite ${suite.name} measures the judge; --no-judge does not apply.`);
  const wantsJudge =
    suite.usesJudge === "required" || (suite.usesJudge === "optional" && suiteConfig.judge && !values["no-judge"]);
  const judge = wantsJudge ? await createJudge({ best: model }) : undefined;
  const runnable: EvalSuite = judge ? suite : { ...suite, usesJudge: undefined };
  const seed = number("seed", values.seed, suiteConfig.seed) ?? 1;
  const distributed =
    workers === undefined
      ? undefined
      : distributedRun({
          suite: baseSuite.name,
          ...(values.category ? { category: values.category } : {}),
          seed,
          routing,
          judged: judge !== undefined,
          localWorkers: workers,
        });

  try {
    const report = await runSuite(runnable, {
      ...(distributed ? { runCases: distributed.runCases } : {}),
      driver,
      ...(judge ? { judge } : {}),
      datasetsDirectory: resolveDatasetsDirectory(values.datasets),
      ...(values.limit !== undefined ? { limit: number("limit", values.limit) } : {}),
      repeat: number("repeat", values.repeat, suiteConfig.repeat),
      concurrency: number("concurrency", values.concurrency, suiteConfig.concurrency),
      seed,
      ...(values.target ? { target: values.target } : {}),
      ...(model.id === "local" ? { pricing: { inputPerMillion: 0, outputPerMillion: 0 } } : {}),
      progress: !values.quiet,
      toolRouting: routing,
    });
    await runnable.afterRun?.(report, judge);
    const gate = values.baseline
      ? compareWithBaseline(report, readReport(resolve(values.baseline)), [...suite.metrics, ...commonMetrics], {
          tolerance: number("tolerance", values.tolerance, 0)!,
        })
      : undefined;
    const directory = resolve(values.out ?? join(defaultReportsRoot, suite.name, report.run_id));
    const paths = writeReportFiles(report, directory, gate);
    await saveToDatabase(report, paths.json);
    process.stdout.write(renderMarkdown(report, gate));
    process.stdout.write(`\nreport: ${paths.html}\n`);
    const errors = report.cases.filter((result) => result.error).length;
    if (report.cases.length > 0 && errors === report.cases.length) {
      process.stderr.write(`Every case failed with an error, e.g.: ${report.cases[0]?.error?.message}\n`);
      return 1;
    }
    return gate && !gate.passed ? 3 : 0;
  } finally {
    await Promise.allSettled([driver.close(), distributed?.close()]);
  }
}

/** `--merge`: one report from reports of runs over parts of the suite, gated like a run. */
function mergeCommand(
  suite: EvalSuite,
  files: string[],
  values: { out?: string | undefined; baseline?: string | undefined; tolerance?: string | undefined },
): number {
  const report = mergeReports(
    suite,
    files.map((file) => readReport(resolve(file))),
  );
  const gate = values.baseline
    ? compareWithBaseline(report, readReport(resolve(values.baseline)), [...suite.metrics, ...commonMetrics], {
        tolerance: values.tolerance === undefined ? 0 : Number(values.tolerance),
      })
    : undefined;
  const directory = resolve(values.out ?? join(defaultReportsRoot, suite.name, report.run_id));
  const paths = writeReportFiles(report, directory, gate);
  process.stdout.write(renderMarkdown(report, gate));
  process.stdout.write(`\nreport: ${paths.html}\n`);
  return gate && !gate.passed ? 3 : 0;
}

async function saveToDatabase(report: Parameters<PostgresRunStore["save"]>[0], location: string): Promise<void> {
  if (!process.env.DATABASE_URL) return;
  const store = new PostgresRunStore(process.env.DATABASE_URL);
  try {
    await store.save(report, location);
    process.stderr.write(`saved run ${report.run_id} to PostgreSQL\n`);
  } catch (error) {
    process.stderr.write(
      `Could not save the run to PostgreSQL (${error instanceof Error ? error.message : String(error)}); the report files are written.\n`,
    );
  } finally {
    await store.close();
  }
}

async function listRuns(suite: string | undefined): Promise<number> {
  let runs: RunListing[];
  if (process.env.DATABASE_URL) {
    const store = new PostgresRunStore(process.env.DATABASE_URL);
    try {
      runs = await store.list(suite ? { suite } : {});
    } finally {
      await store.close();
    }
  } else {
    runs = listReportFiles().filter((run) => !suite || run.suite === suite);
  }
  if (runs.length === 0) {
    process.stdout.write("No saved runs.\n");
    return 0;
  }
  for (const run of runs) {
    process.stdout.write(
      `${run.started_at}  ${run.suite.padEnd(18)} ${run.model.padEnd(36)} ${String(run.cases).padStart(5)} cases  ${run.headline}\n    ${run.run_id}  ${run.location}\n`,
    );
  }
  return 0;
}
