/**
 * Measures the tool router alone on the tool-use cases (no chat model involved): per split and language,
 * tool recall, no-tool accuracy and `require` precision with 95% bootstrap CIs, for the embedding
 * predictor and the lexical router. `--tune` searches the predictor's thresholds on the dev split only.
 *
 *   node --import tsx evals/suites/tool-use/measure-router.ts [--tune] [--out DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  LocalMiniLmEmbedder,
  type PredictorThresholds,
  ToolPredictor,
  type ToolScores,
  createLexicalToolRouter,
  defaultPredictorThresholds,
} from "realtime-agent";
import { builtInTools } from "realtime-agent/runtime";
import type { Estimate } from "../../stats/bootstrap.ts";
import { loadAllToolUseCases, type ToolUseCase } from "./dataset.ts";
import { estimateRouterMetrics, type RoutedCase, routerMetricNames, tuningObjective } from "./router-metrics.ts";

const { values } = parseArgs({ options: { tune: { type: "boolean" }, out: { type: "string" } } });
const cases = loadAllToolUseCases();
const tools = builtInTools({}).definitions();
const embedder = new LocalMiniLmEmbedder();
const predictor = new ToolPredictor({ embedder });

const loadStarted = performance.now();
await embedder.load();
const loadMs = performance.now() - loadStarted;
await predictor.score("warm-up: embeds the tools' and the no-tool examples once", tools);
const scoreStarted = performance.now();
const scored: { testCase: ToolUseCase; scores: ToolScores }[] = [];
for (const testCase of cases) {
  const context = testCase.previous ? { previousUserText: testCase.previous.user } : {};
  scored.push({ testCase, scores: await predictor.score(testCase.message, tools, context) });
}
const perCaseMs = (performance.now() - scoreStarted) / cases.length;

const routeWith = (thresholds: PredictorThresholds) =>
  scored.map(({ testCase, scores }): RoutedCase => {
    const prediction = predictor.decide(scores, thresholds);
    return { testCase, decision: prediction.decision, offered: prediction.tools.map((tool) => tool.name) };
  });

let thresholds = predictor.thresholds;
if (values.tune) thresholds = tune();

const lexical = createLexicalToolRouter({ topK: 2 });
const lexicalRouted = cases.map((testCase): RoutedCase => {
  const route = lexical(testCase.message, tools);
  return {
    testCase,
    decision: route.toolChoice === "none" ? "none" : "offer",
    offered: route.tools.map((tool) => tool.name),
  };
});
const predictorRouted = routeWith(thresholds);

const slices: [string, (testCase: ToolUseCase) => boolean][] = [
  ["dev", (testCase) => testCase.split === "dev"],
  ["dev en", (testCase) => testCase.split === "dev" && testCase.language === "en"],
  ["dev es", (testCase) => testCase.split === "dev" && testCase.language === "es"],
  ["heldout", (testCase) => testCase.split === "heldout"],
  ["heldout en", (testCase) => testCase.split === "heldout" && testCase.language === "en"],
  ["heldout es", (testCase) => testCase.split === "heldout" && testCase.language === "es"],
  ["blind", (testCase) => testCase.split === "blind"],
  ["blind en", (testCase) => testCase.split === "blind" && testCase.language === "en"],
  ["blind es", (testCase) => testCase.split === "blind" && testCase.language === "es"],
];
const report = {
  measured_at: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu_model: cpus()[0]?.model ?? "unknown", node: process.version },
  embedder: embedder.id,
  cases: cases.length,
  embedder_load_ms: Math.round(loadMs),
  predictor_ms_per_case: Math.round(perCaseMs * 10) / 10,
  thresholds,
  routers: {
    predictor: sliceMetrics(predictorRouted),
    lexical: sliceMetrics(lexicalRouted),
  },
  decisions: predictorRouted.map((routed) => ({
    id: routed.testCase.id,
    split: routed.testCase.split,
    decision: routed.decision,
    offered: routed.offered,
    expected: [...new Set(routed.testCase.expected.map((call) => call.tool))],
  })),
};

const markdown = renderMarkdown();
process.stdout.write(markdown);
if (values.out) {
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "router.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(values.out, "router.md"), markdown);
  process.stdout.write(`\nwritten to ${values.out}\n`);
}

function sliceMetrics(routed: readonly RoutedCase[]): Record<string, Record<string, Estimate>> {
  return Object.fromEntries(
    slices.map(([name, keep]) => [name, estimateRouterMetrics(routed.filter((item) => keep(item.testCase)))]),
  );
}

/** Grid search on the dev split only; the held-out split is never looked at here. */
function tune(): PredictorThresholds {
  const dev = new Set(cases.filter((testCase) => testCase.split === "dev").map((testCase) => testCase.id));
  let best = { objective: Number.NEGATIVE_INFINITY, thresholds: defaultPredictorThresholds };
  const steps = (from: number, to: number, step: number) =>
    Array.from(
      { length: Math.round((to - from) / step) + 1 },
      (_, index) => Math.round((from + index * step) * 100) / 100,
    );
  for (const offer of steps(0, 0.5, 0.05))
    for (const offerLead of steps(-0.1, 0.2, 0.02))
      for (const require of steps(0.4, 0.9, 0.05))
        for (const requireLead of steps(0.05, 0.35, 0.05))
          for (const runnerUpGap of [0.05, 0.1, 0.15, 0.2])
            for (const followUpPenalty of [0, 0.05, 0.1]) {
              const candidate = {
                ...defaultPredictorThresholds,
                ...{ offer, offerLead, require, requireLead, runnerUpGap, followUpPenalty },
              };
              const objective = tuningObjective(routeWith(candidate).filter((item) => dev.has(item.testCase.id)));
              if (objective > best.objective + 1e-9) best = { objective, thresholds: candidate };
            }
  process.stderr.write(
    `tuned on ${dev.size} dev cases: objective ${best.objective.toFixed(4)} ${JSON.stringify(best.thresholds)}\n`,
  );
  return best.thresholds;
}

function renderMarkdown(): string {
  const cell = (estimate: Estimate | undefined, digits = 2) =>
    !estimate || Number.isNaN(estimate.value)
      ? "–"
      : `${estimate.value.toFixed(digits)} [${estimate.ci_low.toFixed(digits)}, ${estimate.ci_high.toFixed(digits)}] (n=${estimate.n})`;
  const lines = [
    `# Tool router on the tool-use cases (${report.measured_at.slice(0, 10)})`,
    "",
    `${cases.length} cases · ${report.machine.cores} cores, ${report.machine.cpu_model} · Node ${report.machine.node} · embedder ${embedder.id} (load ${report.embedder_load_ms} ms; ${report.predictor_ms_per_case} ms per case with the tools embedded, one or two sentences; wall time on a shared machine)`,
    "",
    `Predictor thresholds: \`${JSON.stringify(thresholds)}\``,
    "",
  ];
  for (const [router, bySlice] of Object.entries(report.routers)) {
    lines.push(
      `## ${router}`,
      "",
      `| slice | ${routerMetricNames.join(" | ")} |`,
      `| --- |${routerMetricNames.map(() => " --- |").join("")}`,
    );
    for (const [slice, metrics] of Object.entries(bySlice))
      lines.push(`| ${slice} | ${routerMetricNames.map((name) => cell(metrics[name])).join(" | ")} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
