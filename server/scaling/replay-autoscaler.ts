import { LoadForecaster, type LoadSample } from "./load-forecast.ts";

export interface AutoscalerSettings {
  /** Open sessions one pod serves (the HPA's target average value). */
  sessionsPerPod: number;
  /** From asking for a pod to it serving (image pulled, model loaded). */
  podStartupMs: number;
  /** Lowest and highest replica counts. */
  minPods: number;
  maxPods: number;
  /** Pods are kept for this long after the load that asked for them (the HPA's scale-down window). */
  scaleDownWindowMs: number;
  /** At most this many pods go per minute (the HPA's scale-down policy: `Pods`, value, 60 s). */
  scaleDownPodsPerMinute: number;
  /** Predictive only: how far ahead the forecast's peak is read (should cover podStartupMs). */
  leadMs: number;
}

/** The settings of the replayed week (benchmarks/scaling/replay-week.ts and its test). */
export const replayedWeekSettings: AutoscalerSettings = {
  sessionsPerPod: 40,
  podStartupMs: 3 * 60_000,
  minPods: 2,
  maxPods: 30,
  scaleDownWindowMs: 5 * 60_000,
  // As deploy/kubernetes/agent-hpa.yaml: stabilizationWindowSeconds 300, one pod per 60 s.
  scaleDownPodsPerMinute: 1,
  leadMs: 10 * 60_000,
};

export interface ReplayResult {
  mode: "reactive" | "predictive";
  /** Session-minutes above what the serving pods could take: the load that arrived before its capacity. */
  shortSessionMinutes: number;
  /** Minutes with any load above capacity. */
  shortMinutes: number;
  /** What the capacity cost. */
  podMinutes: number;
  /** Per step: time, load, pods serving. */
  timeline: { at: number; load: number; pods: number }[];
}

/**
 * Replays a load trace through an autoscaler: reactive (the HPA on the current load) or predictive
 * (on the higher of the current load and the forecast's peak over the next `leadMs`, from the trace's
 * own past only). Pods asked for serve `podStartupMs` later; pods no longer needed go once the
 * scale-down window has passed, `scaleDownPodsPerMinute` at a time.
 */
export function replayAutoscaler(
  trace: readonly LoadSample[],
  replayFrom: number,
  mode: "reactive" | "predictive",
  settings: AutoscalerSettings,
): ReplayResult {
  if (settings.scaleDownWindowMs <= settings.podStartupMs)
    throw new Error("The scale-down window must be longer than a pod's startup, or no scale-up ever serves.");
  const forecaster = mode === "predictive" ? new LoadForecaster(trace) : undefined;
  const steps = trace.filter((sample) => sample.at >= replayFrom);
  const requests: { at: number; pods: number }[] = [];
  const timeline: ReplayResult["timeline"] = [];
  let shortSessionMinutes = 0;
  let shortMinutes = 0;
  let podMinutes = 0;
  let previous: { at: number; pods: number } | undefined;
  for (const [index, sample] of steps.entries()) {
    // The forecaster sees the past only: the pooled history holds the whole trace, but its level and
    // seasonal baseline read readings at or before `now`, and a season back for the slots ahead.
    const expected = forecaster ? Math.max(sample.value, forecaster.peak(sample.at, settings.leadMs)) : sample.value;
    const wanted = clamp(Math.ceil(expected / settings.sessionsPerPod), settings.minPods, settings.maxPods);
    requests.push({ at: sample.at, pods: wanted });
    // Serving now: the most asked for within the scale-down window, counting only requests old enough
    // to have started (a scale-down takes effect at once, a scale-up after the startup time).
    const settled = clamp(
      Math.max(
        settings.minPods,
        ...requests
          .filter(
            (request) =>
              request.at <= sample.at - settings.podStartupMs && request.at > sample.at - settings.scaleDownWindowMs,
          )
          .map((request) => request.pods),
      ),
      settings.minPods,
      settings.maxPods,
    );
    // Scale-down, a few pods a minute: never below what the window settled on.
    const mayGo = previous
      ? Math.floor(((sample.at - previous.at) / 60_000) * settings.scaleDownPodsPerMinute)
      : Number.POSITIVE_INFINITY;
    const serving = previous ? Math.max(settled, previous.pods - mayGo) : settled;
    previous = { at: sample.at, pods: serving };
    const minutes = index + 1 < steps.length ? (steps[index + 1]!.at - sample.at) / 60_000 : 1;
    const short = Math.max(0, sample.value - serving * settings.sessionsPerPod);
    shortSessionMinutes += short * minutes;
    shortMinutes += short > 0 ? minutes : 0;
    podMinutes += serving * minutes;
    timeline.push({ at: sample.at, load: sample.value, pods: serving });
  }
  return { mode, shortSessionMinutes, shortMinutes, podMinutes, timeline };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
