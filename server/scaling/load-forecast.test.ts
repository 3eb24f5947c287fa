import { describe, expect, it } from "vitest";
import { forecastLoad, type LoadSample, LoadForecaster, peakForecast } from "./load-forecast.ts";
import { replayAutoscaler, replayedWeekSettings } from "./replay-autoscaler.ts";
import { syntheticTrace } from "./synthetic-trace.ts";

const minute = 60_000;
const day = 1440 * minute;
const start = Date.UTC(2026, 10, 16);

describe("forecastLoad", () => {
  it("follows the last hour's trend with less than a season of history, never below zero", () => {
    const rising: LoadSample[] = Array.from({ length: 60 }, (_, index) => ({
      at: start + index * minute,
      value: 10 + index,
    }));
    const now = start + 59 * minute;
    expect(forecastLoad(rising, now, 30 * minute)).toBeCloseTo(99, 5);
    const falling = rising.map((sample) => ({ ...sample, value: 70 - sample.value }));
    expect(forecastLoad(falling, now, 120 * minute)).toBe(0);
    expect(forecastLoad([], now, minute)).toBe(0);
  });

  it("reads the same time in earlier days, scaled by how today runs against them", () => {
    // Every day the same shape; today runs 20 % above it.
    const trace = syntheticTrace({ days: 8, start, growth: 0, seed: 3 });
    const busier = trace.map((sample) =>
      sample.at >= start + 7 * day ? { ...sample, value: sample.value * 1.2 } : sample,
    );
    const now = start + 7 * day + 8 * 60 * minute; // 8:00, before the morning ramp
    const ahead = 75 * minute; // 9:15, on the plateau
    const expected = trace.find((sample) => sample.at === now + ahead)!.value * 1.2;
    const forecast = forecastLoad(
      busier.filter((sample) => sample.at <= now + ahead),
      now,
      ahead,
    );
    expect(Math.abs(forecast - expected) / expected).toBeLessThan(0.1);
    // Persistence (the load now) would have said a fraction of it.
    expect(busier.find((sample) => sample.at === now)!.value).toBeLessThan(expected * 0.3);
  });

  it("beats persistence 15 minutes ahead over a whole unseen day", () => {
    const trace = syntheticTrace({ days: 8, start, seed: 11 });
    const forecaster = new LoadForecaster(trace);
    let forecastError = 0;
    let persistenceError = 0;
    for (let at = start + 7 * day; at + 15 * minute < start + 8 * day; at += 5 * minute) {
      const actual = trace.find((sample) => sample.at === at + 15 * minute)!.value;
      forecastError += Math.abs(forecaster.forecast(at, 15 * minute) - actual);
      persistenceError += Math.abs(trace.find((sample) => sample.at === at)!.value - actual);
    }
    expect(forecastError).toBeLessThan(persistenceError * 0.6);
  });

  it("reads nothing after now: the whole trace and the trace cut at now forecast alike", () => {
    const trace = syntheticTrace({ days: 8, start, seed: 13 });
    const whole = new LoadForecaster(trace);
    for (let at = start + 7 * day; at < start + 8 * day; at += 37 * minute) {
      const cut = new LoadForecaster(trace.filter((sample) => sample.at <= at));
      for (const lead of [10 * minute, 60 * minute]) expect(whole.peak(at, lead)).toBeCloseTo(cut.peak(at, lead), 9);
    }
  });

  it("gives the peak of the next hour, which is at least the load ahead at any slot of it", () => {
    const trace = syntheticTrace({ days: 3, start, seed: 5 });
    const now = start + 2 * day + 8 * 60 * minute;
    const forecaster = new LoadForecaster(trace);
    const peak = peakForecast(trace, now, 60 * minute);
    for (let ahead = 0; ahead <= 60 * minute; ahead += 5 * minute)
      expect(peak).toBeGreaterThanOrEqual(forecaster.forecast(now, ahead));
  });
});

describe("replayAutoscaler on a replayed week", () => {
  const trace = syntheticTrace({ days: 8, start });
  const settings = replayedWeekSettings;
  const lastDay = start + 7 * day;

  it("scales before the morning ramp arrives, where the reactive autoscaler lags it", () => {
    const reactive = replayAutoscaler(trace, lastDay, "reactive", settings);
    const predictive = replayAutoscaler(trace, lastDay, "predictive", settings);
    expect(predictive.shortSessionMinutes).toBeLessThan(reactive.shortSessionMinutes * 0.3);
    expect(predictive.shortMinutes).toBeLessThan(reactive.shortMinutes);
    // At a price: at most 10 % more pod-minutes.
    expect(predictive.podMinutes).toBeLessThan(reactive.podMinutes * 1.1);
    // At 8:20, on the ramp, the predictive pods are already there.
    const at = lastDay + (8 * 60 + 20) * minute;
    const pods = (result: typeof reactive) => result.timeline.find((step) => step.at === at)!.pods;
    expect(pods(predictive)).toBeGreaterThan(pods(reactive));
  });

  it("lets pods go no faster than the HPA's scale-down policy, and only after its window", () => {
    const at = (minutes: number, value: number) => ({ at: lastDay + minutes * minute, value });
    // 400 sessions (10 pods at 40 a pod) for 20 minutes, then none.
    const spike = [
      ...Array.from({ length: 20 }, (_, index) => at(index, 400)),
      ...Array.from({ length: 30 }, (_, index) => at(20 + index, 0)),
    ];
    const pods = replayAutoscaler(spike, lastDay, "reactive", settings).timeline.map((step) => step.pods);
    expect(pods[19]).toBe(10);
    // Kept for the 5-minute window after the last minute that asked for 10 …
    expect(pods.slice(20, 24)).toEqual([10, 10, 10, 10]);
    // … then one pod a minute, down to the floor of 2.
    expect(pods.slice(24, 33)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 2]);
    const fast = replayAutoscaler(spike, lastDay, "reactive", { ...settings, scaleDownPodsPerMinute: 100 });
    expect(fast.timeline[24]!.pods).toBe(2);
  });
});
