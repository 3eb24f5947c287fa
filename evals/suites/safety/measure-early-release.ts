/**
 * What early release costs in safety, with no chat model: a report's answers (by default the 0.5B
 * model's raw XSTest answers, recorded with no safety layer) are streamed word by word through the
 * agent's own output guard (a scripted model writes each), with early release and with sentence
 * release. Counts the sentences the check blocks, those of
 * them that early release had started to show, and the words it showed; and how many checks it added.
 *
 *   node --import tsx evals/suites/safety/measure-early-release.ts [--from REPORT.json] [--out DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  Agent,
  LocalMiniLmEmbedder,
  SafetyGuard,
  SentenceGate,
  defaultEarlyReleasePolicy,
  defaultGuardThresholds,
  type ModelProvider,
  splitIntoChunks,
  streamScriptedStep,
} from "realtime-agent";

const { values } = parseArgs({
  options: {
    from: { type: "string", default: "evals/results/2026-11-27-qwen2.5-coder-0.5b/xstest/report.json" },
    out: { type: "string" },
  },
});

interface RecordedCase {
  id: string;
  output: string;
  tags?: Record<string, string>;
}

interface Streamed {
  /** The first blocked sentence, if any. */
  blocked?: string;
  /** What of the blocked sentence had been shown before it was blocked. */
  shownOfBlocked: string;
  checks: number;
}

const guard = new SafetyGuard({ embedder: new LocalMiniLmEmbedder(), abuse: false });
await guard.load();
let checks = 0;
const checkOutput = guard.checkOutput.bind(guard);
guard.checkOutput = (text, options) => {
  checks++;
  return checkOutput(text, options);
};

/** Streams one answer through the agent's own output guard, the model scripted to write it word by word. */
async function stream(answer: string, outputRelease: "early" | "sentence"): Promise<Streamed> {
  checks = 0;
  // The recorded answer, streamed word by word as a model would (the evals use no test support code).
  const model: ModelProvider = {
    id: "recorded",
    capabilities: { toolCalling: false, vision: false, contextTokens: 32_768 },
    stream: (request) => streamScriptedStep({ text: answer }, request, "recorded", () => "none"),
  };
  const agent = new Agent({ model, safety: guard, outputRelease });
  let shown = "";
  let blocked = false;
  for await (const event of agent.runTurn({ sessionId: "measure", text: "Go on." })) {
    if (event.type === "guard" && event.stage === "output" && event.action === "block") blocked = true;
    else if (event.type === "text-delta" && !blocked) shown += event.text;
  }
  if (!blocked) return { shownOfBlocked: "", checks };
  // The blocked sentence is the one the text shown ends in (as the gate cut the streamed answer).
  const gate = new SentenceGate();
  const sentences = [...splitIntoChunks(answer).flatMap((chunk) => gate.push(chunk)), gate.flush()];
  let start = 0;
  for (const sentence of sentences) {
    if (start + sentence.length > shown.length)
      return { blocked: sentence, shownOfBlocked: shown.slice(start), checks };
    start += sentence.length;
  }
  return { blocked: "", shownOfBlocked: "", checks };
}

const report = JSON.parse(readFileSync(values.from!, "utf8")) as { suite: string; cases: RecordedCase[] };
const rows: Array<{ id: string; label: string; blocked: string; shown: string }> = [];
const totals = {
  answers: 0,
  blocked: 0,
  blockedEarly: 0,
  startedToShow: 0,
  wordsShown: 0,
  checksSentence: 0,
  checksEarly: 0,
};
for (const recorded of report.cases) {
  if (!recorded.output.trim()) continue;
  totals.answers++;
  const sentence = await stream(recorded.output, "sentence");
  const early = await stream(recorded.output, "early");
  totals.checksSentence += sentence.checks;
  totals.checksEarly += early.checks;
  if (sentence.blocked) totals.blocked++;
  if (!early.blocked) continue;
  totals.blockedEarly++;
  if (!early.shownOfBlocked) continue;
  totals.startedToShow++;
  totals.wordsShown += early.shownOfBlocked.trim().split(/\s+/).length;
  rows.push({
    id: recorded.id,
    label: recorded.tags?.label ?? "",
    blocked: early.blocked.trim(),
    shown: early.shownOfBlocked.trim(),
  });
}

const lines = [
  `# Early release against sentence release: ${report.suite} answers`,
  "",
  `Answers from \`${values.from}\`, streamed a word at a time through the output guard as shipped`,
  `(threshold ${defaultGuardThresholds.output}; early release: ${JSON.stringify(defaultEarlyReleasePolicy)}).`,
  "",
  "| answers | blocked (sentence release) | blocked (early release) | blocked sentences early release had started to show | words of them shown | checks per answer: sentence / early |",
  "| --- | --- | --- | --- | --- | --- |",
  `| ${totals.answers} | ${totals.blocked} | ${totals.blockedEarly} | ${totals.startedToShow} | ${totals.wordsShown} | ${(totals.checksSentence / totals.answers).toFixed(2)} / ${(totals.checksEarly / totals.answers).toFixed(2)} |`,
  "",
  ...(rows.length
    ? [
        "| case | label | blocked sentence | shown of it |",
        "| --- | --- | --- | --- |",
        ...rows.map((row) => `| ${row.id} | ${row.label} | ${cell(row.blocked)} | ${cell(row.shown)} |`),
      ]
    : []),
];
console.log(lines.join("\n"));
if (values.out) {
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "summary.md"), `${lines.join("\n")}\n`);
  writeFileSync(join(values.out, "report.json"), `${JSON.stringify({ totals, rows }, null, 2)}\n`);
}
process.exit(0);

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ").slice(0, 160);
}
