/**
 * Replays a week of synthetic load (server/scaling/synthetic-trace.ts) and then an unseen eighth day
 * through a reactive autoscaler and a predictive one (server/scaling/replay-autoscaler.ts), and writes
 * the comparison: session-minutes served short, minutes short, pod-minutes, and the morning ramp minute
 * by minute.
 *
 *   node --import tsx benchmarks/scaling/replay-week.ts [--out benchmarks/reports/scaling-DATE]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { replayAutoscaler, replayedWeekSettings } from "../../server/scaling/replay-autoscaler.ts";
import { syntheticTrace } from "../../server/scaling/synthetic-trace.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const minute = 60_000;
const start = Date.UTC(2026, 10, 16);
const trace = syntheticTrace({ days: 8, start });
const settings = replayedWeekSettings;
const lastDay = start + 7 * 1440 * minute;
const results = (["reactive", "predictive"] as const).map((mode) => replayAutoscaler(trace, lastDay, mode, settings));
const [reactive, predictive] = results as [(typeof results)[0], (typeof results)[0]];
const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
const lines = [
  `# Predictive vs reactive autoscaling on a replayed day (${new Date().toISOString().slice(0, 10)})`,
  "",
  "Trace: `syntheticTrace({ days: 8 })` (one reading a minute; quiet night, morning ramp 8:00–9:30, lunch dip,",
  "evening peak, +3 %/day, seeded noise). The forecaster learns from days 1–7 and the replayed day's past",
  `only. Settings: ${settings.sessionsPerPod} sessions per pod, pods serve ${settings.podStartupMs / minute} min after they are asked for,`,
  `${settings.minPods}–${settings.maxPods} pods, ${settings.scaleDownWindowMs / minute} min scale-down window then ${settings.scaleDownPodsPerMinute} pod a minute; predictive reads the forecast's peak over the next ${settings.leadMs / minute} min.`,
  "",
  "| autoscaler | session-minutes short | minutes short | pod-minutes |",
  "| --- | --- | --- | --- |",
  ...results.map(
    (result) =>
      `| ${result.mode} | ${Math.round(result.shortSessionMinutes)} | ${result.shortMinutes} | ${result.podMinutes} |`,
  ),
  "",
  "The morning ramp (load, and the sessions the serving pods can take):",
  "",
  "| time | load | reactive capacity | predictive capacity |",
  "| --- | --- | --- | --- |",
  ...reactive.timeline
    .map((step, index) => ({ step, predictiveStep: predictive.timeline[index]! }))
    .filter(({ step }) => {
      const minutes = (step.at - lastDay) / minute;
      return minutes >= 7.5 * 60 && minutes <= 10 * 60 && minutes % 10 === 0;
    })
    .map(
      ({ step, predictiveStep }) =>
        `| ${clock(step.at)} | ${step.load} | ${step.pods * settings.sessionsPerPod} | ${predictiveStep.pods * settings.sessionsPerPod} |`,
    ),
  "",
  "Reproduce: `node --import tsx benchmarks/scaling/replay-week.ts --out <dir>`.",
  "",
];
const report = lines.join("\n");
if (values.out) {
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "report.md"), report);
}
process.stdout.write(report);
