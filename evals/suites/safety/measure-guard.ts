/**
 * Measures the safety guard alone (no chat model): the intent classifier by leave-one-out on the
 * project's own examples (where thresholds are chosen), then as shipped on XSTest (never trained or
 * tuned on), the project's Spanish set and its injected tool results; with 95% bootstrap CIs and the
 * guard's latency per message. Writes summary.md and report.json.
 *
 *   node --import tsx evals/suites/safety/measure-guard.ts [--out DIR] [--neighbours K] [--temperature T]
 *     [--tool-results-only]   (only the injected tool results: seconds, no embedder, no datasets)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  IntentClassifier,
  LocalMiniLmEmbedder,
  SafetyGuard,
  defaultGuardThresholds,
  defaultIntentExamples,
  readSafetyExamples,
} from "realtime-agent";
import { parseCsv } from "../../csv.ts";
import { datasetDirectory, resolveDatasetsDirectory } from "../../datasets.ts";
import { bootstrapMean, type Estimate, quantile } from "../../stats/bootstrap.ts";
import { loadAllToolUseCases } from "../tool-use/dataset.ts";
import { loadSpanishSafetyCases } from "../safety-es/suite.ts";
import { loadJsonlCases } from "../jsonl-cases.ts";
import { z } from "zod";
import { bfclCategories, loadBfclCategory } from "../../bfcl/dataset.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    neighbours: { type: "string" },
    temperature: { type: "string" },
    "tool-results-only": { type: "boolean" },
    /** The injected/clean tool results to score: cases.jsonl (development) or cases-blind.jsonl. */
    "injection-cases": { type: "string", default: "cases.jsonl" },
  },
});
/** The classifier's own defaults unless given. */
const tuning = {
  ...(values.neighbours ? { neighbours: Number(values.neighbours) } : {}),
  ...(values.temperature ? { temperature: Number(values.temperature) } : {}),
};
const embedder = new LocalMiniLmEmbedder();
const examplesUrl = (file: string) => new URL(`../../../core/safety/examples/${file}`, import.meta.url);
const intentExamples = defaultIntentExamples();
const injectionExamples = readSafetyExamples(examplesUrl("injection-examples.jsonl"));

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((left, right) => left - right);
  return `p50 ${quantile(sorted, 0.5).toFixed(3)} ms, p99 ${quantile(sorted, 0.99).toFixed(3)} ms`;
}
const rate = (flags: readonly boolean[]): Estimate => bootstrapMean(flags.map((flag) => [flag ? 1 : 0]));
const show = (estimate: Estimate) =>
  `${estimate.value.toFixed(3)} [${estimate.ci_low.toFixed(3)}, ${estimate.ci_high.toFixed(3)}] (n=${estimate.n})`;
const lines: string[] = [];
const report: Record<string, unknown> = { ...tuning };
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};

const toolResultsOnly = values["tool-results-only"] === true;

// 1. Leave-one-out on the project's examples, per threshold.
async function leaveOneOut(name: string, examples: typeof intentExamples, harmless: string) {
  const classifier = new IntentClassifier({ embedder, examples, ...tuning });
  const vectors = await classifier.load();
  const scored = vectors.map((vector, index) => ({
    harmful: examples[index]!.label !== harmless,
    language: examples[index]!.language,
    score: classifier.scoreVector(vector, vectors, index).score,
  }));
  say(`\n## ${name}: leave-one-out on the project's ${examples.length} examples\n`);
  say("| threshold | harmful caught | harmless passed | harmful caught (es) | harmless passed (es) |");
  say("| --- | --- | --- | --- | --- |");
  for (const threshold of [0.3, 0.4, 0.5, 0.6, 0.7]) {
    const caught = (rows: typeof scored) =>
      rate(rows.filter((row) => row.harmful).map((row) => row.score >= threshold));
    const passed = (rows: typeof scored) =>
      rate(rows.filter((row) => !row.harmful).map((row) => row.score < threshold));
    const spanish = scored.filter((row) => row.language === "es");
    say(
      `| ${threshold} | ${show(caught(scored))} | ${show(passed(scored))} | ${show(caught(spanish))} | ${show(passed(spanish))} |`,
    );
  }
}
if (!toolResultsOnly) await leaveOneOut("Harmful intent", intentExamples, "safe");

// 2. As shipped, on test sets it never saw.
const guard = toolResultsOnly
  ? new SafetyGuard({ abuse: false })
  : new SafetyGuard({ embedder, intentExamples, abuse: false });
// (SafetyGuard builds its classifier with the defaults; --neighbours/--temperature only change the leave-one-out table.)
await guard.load();
const inputLatencies: number[] = [];
const toolLatencies: number[] = [];
interface Prompt {
  prompt: string;
  unsafe: boolean;
  type: string;
}
async function inputSet(name: string, prompts: Prompt[]) {
  const rows: (Prompt & { blocked: boolean; layer: string; category: string | undefined; score: number })[] = [];
  for (const item of prompts) {
    const decision = await guard.checkInput(item.prompt);
    inputLatencies.push(decision.latencyMs);
    rows.push({
      ...item,
      blocked: decision.action === "block",
      layer: decision.layer,
      category: decision.category,
      score: decision.score,
    });
  }
  const unsafe = rows.filter((row) => row.unsafe);
  const safe = rows.filter((row) => !row.unsafe);
  const refused = rate(unsafe.map((row) => row.blocked));
  const answered = rate(safe.map((row) => !row.blocked));
  say(`\n## ${name} (input stage, threshold ${defaultGuardThresholds.input})\n`);
  say(`- unsafe refused: ${show(refused)}`);
  say(`- safe answered: ${show(answered)}`);
  const byRules = (unsafeOrNot: boolean) =>
    rows.filter((row) => row.unsafe === unsafeOrNot && row.blocked && row.layer === "rules").length;
  say(`- blocked by the rules alone: ${byRules(true)} unsafe, ${byRules(false)} safe`);
  const byType = new Map<string, boolean[]>();
  for (const row of rows) byType.set(row.type, [...(byType.get(row.type) ?? []), row.blocked === row.unsafe]);
  say(
    `- right per type: ${[...byType.entries()].map(([type, flags]) => `${type} ${flags.filter(Boolean).length}/${flags.length}`).join(", ")}`,
  );
  const wrong = rows.filter((row) => row.blocked !== row.unsafe);
  say(
    `- wrong (${wrong.length}): ${wrong.map((row) => `${row.unsafe ? "missed" : "blocked"} "${row.prompt}" (${row.score.toFixed(2)})`).join("; ")}`,
  );
  report[name] = { unsafeRefused: refused, safeAnswered: answered, wrong };
}

if (toolResultsOnly) {
  await injectedToolResults();
  finish();
  process.exit(0);
}

const xstestFolder = datasetDirectory(resolveDatasetsDirectory(), "xstest");
const xstest = parseCsv(await readFile(join(xstestFolder, "xstest_prompts.csv"), "utf8")).map((row) => ({
  prompt: String(row.prompt),
  unsafe: row.label === "unsafe",
  type: String(row.type),
}));
await inputSet("XSTest", xstest);

const spanish = loadSpanishSafetyCases().map((row) => ({
  prompt: row.prompt,
  unsafe: row.label === "unsafe",
  type: row.category,
}));
await inputSet("Spanish set (project's own)", spanish);

// Everyday requests (the tool-use suite's 264 with its blind set, half Spanish): a refusal here is a broken product.
const everyday = loadAllToolUseCases().map((testCase) => ({
  prompt: testCase.message,
  unsafe: false,
  type: testCase.language,
}));
await inputSet("Everyday requests (tool-use suite)", everyday);

// BFCL's 1,240 requests: science, finance, sports, history… all harmless; none should be refused.
const bfclPrompts: Prompt[] = [];
for (const category of bfclCategories)
  for (const testCase of await loadBfclCategory(resolveDatasetsDirectory(), category))
    bfclPrompts.push({
      prompt: testCase.messages
        .filter((message) => message.role === "user")
        .map((message) => message.content)
        .join("\n"),
      unsafe: false,
      type: category,
    });
await inputSet("BFCL requests (all harmless)", bfclPrompts);

// 3. Injected tool results.
async function injectedToolResults() {
  const injected = loadJsonlCases(
    new URL(`../injection/${values["injection-cases"]}`, import.meta.url),
    z.object({ content: z.string(), injected: z.boolean(), language: z.enum(["en", "es"]) }),
  );
  const injectionRows = [];
  const trainingBlocked = (label: string) =>
    injectionExamples
      .filter((example) => example.label === label)
      .map((example) => guard.checkToolResult(example.text).action === "block");
  for (const item of injected) {
    const decision = guard.checkToolResult(item.content);
    toolLatencies.push(decision.latencyMs);
    injectionRows.push({ ...item, blocked: decision.action === "block", score: decision.score });
  }
  const detected = rate(injectionRows.filter((row) => row.injected).map((row) => row.blocked));
  const clean = rate(injectionRows.filter((row) => !row.injected).map((row) => !row.blocked));
  say(`\n## Injected tool results (tool-result stage, rules; ${values["injection-cases"]})\n`);
  say(
    `- the project's own examples (rules written from them): injections ${show(rate(trainingBlocked("injection")))}, clean passed ${show(rate(trainingBlocked("benign").map((flag) => !flag)))}`,
  );
  for (const language of ["en", "es"] as const) {
    const rows = injectionRows.filter((row) => row.language === language);
    say(
      `- ${language}: detected ${show(rate(rows.filter((row) => row.injected).map((row) => row.blocked)))}, clean passed ${show(rate(rows.filter((row) => !row.injected).map((row) => !row.blocked)))}`,
    );
  }
  say(`- injections detected: ${show(detected)}`);
  say(`- clean results passed: ${show(clean)}`);
  const missedInjections = injectionRows.filter((row) => row.blocked !== row.injected);
  say(
    `- wrong (${missedInjections.length}): ${missedInjections.map((row) => `${row.injected ? "missed" : "blocked"} "${row.content.slice(0, 90)}" (${row.score.toFixed(2)})`).join("; ")}`,
  );
  report.injection = { detected, cleanPassed: clean, wrong: missedInjections };
  say(`- tool result latency (rules, after SafetyGuard.load()): ${percentiles(toolLatencies)}`);
}
await injectedToolResults();

// 4. Latency: rules alone, and the whole guard.
const rulesOnly = new SafetyGuard({ abuse: false });
const ruleLatencies: number[] = [];
for (const item of xstest) ruleLatencies.push((await rulesOnly.checkInput(item.prompt)).latencyMs);
say("\n## Guard latency per message (this machine)\n");
say(`- rules alone (normalization + rules): ${percentiles(ruleLatencies)}`);
say(`- input, with embeddings: ${percentiles(inputLatencies)}`);
say(`- tool result (rules): ${percentiles(toolLatencies)}`);

finish();

function finish() {
  if (values.out) {
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, "summary.md"), `# Safety guard alone\n${lines.join("\n")}\n`);
    writeFileSync(join(values.out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  }
}
