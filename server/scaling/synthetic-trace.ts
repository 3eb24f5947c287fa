import type { LoadSample } from "./load-forecast.ts";

/**
 * A load trace of open sessions, one reading a minute over `days` days: a quiet night, a steep morning
 * ramp (8:00–9:30), a lunch dip, an evening peak, each day `growth` busier than the last, with seeded
 * noise. The shape of a chat product's weekday; the replay uses it to show scaling ahead of the ramp.
 */
export function syntheticTrace(options: {
  days: number;
  start: number;
  peak?: number;
  growth?: number;
  seed?: number;
}): LoadSample[] {
  const peak = options.peak ?? 400;
  const growth = options.growth ?? 0.03;
  let state = options.seed ?? 7;
  const random = () => {
    // mulberry32: small, seeded, good enough for noise.
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const bump = (hour: number, center: number, width: number) => Math.exp(-(((hour - center) / width) ** 2));
  const samples: LoadSample[] = [];
  for (let minute = 0; minute < options.days * 1440; minute++) {
    const day = Math.floor(minute / 1440);
    const hour = (minute % 1440) / 60;
    // Office hours: a ramp from 8:00 to 9:30, a plateau, a dip at lunch; then an evening peak at 21:00.
    const office = 1 / (1 + Math.exp(-(hour - 8.75) * 4)) - 1 / (1 + Math.exp(-(hour - 18) * 2));
    const shape = 0.05 + 0.85 * office - 0.25 * bump(hour, 13.5, 0.6) + 0.6 * bump(hour, 21, 1.2);
    const level = peak * (1 + growth) ** day * Math.max(0.03, shape);
    samples.push({
      at: options.start + minute * 60_000,
      value: Math.max(0, Math.round(level * (0.95 + 0.1 * random()))),
    });
  }
  return samples;
}
