/** One reading of the load (open sessions) at a time, in milliseconds since the epoch. */
export interface LoadSample {
  at: number;
  value: number;
}

export interface ForecastOptions {
  /** The load's season (default one day): the same time a season ago is the baseline. */
  seasonMs?: number;
  /** Seasons of history the baseline is the median over (default 7; fewer when there are fewer). */
  seasons?: number;
  /** Recent history the level (actual against baseline) is measured over (default one hour). */
  levelWindowMs?: number;
  /** Width of the time slots readings are pooled into (default 5 minutes). */
  slotMs?: number;
}

const hour = 3_600_000;
const defaults = { seasonMs: 24 * hour, seasons: 7, levelWindowMs: hour, slotMs: 5 * 60_000 };

/**
 * Forecasts the load `aheadMs` from `now`: a seasonal baseline (the median of the same slot in the
 * last seasons: yesterday at 9:00 says what 9:00 brings) scaled by the current level (how the last hour
 * ran against its own baseline: a day 20 % busier than usual stays 20 % busier), or, with less than one
 * season of history, the last hour's straight-line trend. Never negative.
 */
export function forecastLoad(
  history: readonly LoadSample[],
  now: number,
  aheadMs: number,
  options: ForecastOptions = {},
): number {
  return new LoadForecaster(history, options).forecast(now, aheadMs);
}

/**
 * The highest forecast over the next `horizonMs` (every slot): what capacity must be ready for. An
 * autoscaler that reads it starts pods before the load arrives instead of after.
 */
export function peakForecast(
  history: readonly LoadSample[],
  now: number,
  horizonMs: number,
  options: ForecastOptions = {},
): number {
  return new LoadForecaster(history, options).peak(now, horizonMs);
}

interface ForecastState {
  recent: LoadSample[];
  /** With a season of history: the recent mean, its baseline's mean, and their bounded ratio. */
  seasonal: { expected: number; actual: number; level: number } | undefined;
}

/** `forecastLoad` over one history, with its readings pooled by slot once (a replay asks ~10⁴ times). */
export class LoadForecaster {
  readonly #settings: typeof defaults;
  readonly #history: readonly LoadSample[];
  readonly #slots = new Map<number, { sum: number; count: number }>();
  readonly #oldest: number;

  constructor(history: readonly LoadSample[], options: ForecastOptions = {}) {
    this.#settings = { ...defaults, ...options };
    this.#history = history;
    let oldest = Number.POSITIVE_INFINITY;
    for (const sample of history) {
      const slot = Math.round(sample.at / this.#settings.slotMs);
      const pooled = this.#slots.get(slot) ?? { sum: 0, count: 0 };
      pooled.sum += sample.value;
      pooled.count += 1;
      this.#slots.set(slot, pooled);
      oldest = Math.min(oldest, sample.at);
    }
    this.#oldest = oldest;
  }

  forecast(now: number, aheadMs: number): number {
    const state = this.#stateAt(now);
    if (!state) return 0;
    const future = state.seasonal ? this.#baseline(now + aheadMs) : undefined;
    if (!state.seasonal || future === undefined) return Math.max(0, linearTrend(state.recent, now + aheadMs));
    const { expected, actual } = state.seasonal;
    return Math.max(0, expected > 0 ? future * state.seasonal.level : future + (actual - expected));
  }

  peak(now: number, horizonMs: number): number {
    let peak = 0;
    for (let ahead = 0; ahead <= horizonMs; ahead += this.#settings.slotMs)
      peak = Math.max(peak, this.forecast(now, ahead));
    return peak;
  }

  #cached: { now: number; state: ForecastState | undefined } | undefined;

  /** What does not depend on how far ahead: the recent readings and how they ran against their baseline. */
  #stateAt(now: number) {
    if (this.#cached?.now !== now) this.#cached = { now, state: this.#computeState(now) };
    return this.#cached.state;
  }

  #computeState(now: number): ForecastState | undefined {
    const settings = this.#settings;
    const recent = this.#history.filter((sample) => sample.at > now - settings.levelWindowMs && sample.at <= now);
    if (recent.length === 0) return undefined;
    if (now - this.#oldest < settings.seasonMs) return { recent, seasonal: undefined };
    const expected = mean(recent.map((sample) => this.#baseline(sample.at)));
    const actual = mean(recent.map((sample) => sample.value));
    if (expected === undefined || actual === undefined) return { recent, seasonal: undefined };
    // Level: how the recent past ran against its baseline (a ratio, bounded so a quiet night's 1 vs 2
    // sessions does not double tomorrow's peak), applied to the baseline ahead.
    const level = expected > 0 ? Math.min(3, Math.max(1 / 3, actual / expected)) : 1;
    return { recent, seasonal: { expected, actual, level } };
  }

  /** Median of the slot at `at` in each of the last seasons before it (undefined without any). */
  #baseline(at: number): number | undefined {
    const values: number[] = [];
    for (let season = 1; season <= this.#settings.seasons; season++) {
      const pooled = this.#slots.get(Math.round((at - season * this.#settings.seasonMs) / this.#settings.slotMs));
      if (pooled) values.push(pooled.sum / pooled.count);
    }
    return median(values);
  }
}

/** Least-squares line through the samples, read at `at`. */
function linearTrend(samples: readonly LoadSample[], at: number): number {
  const n = samples.length;
  const meanAt = samples.reduce((sum, sample) => sum + sample.at, 0) / n;
  const meanValue = samples.reduce((sum, sample) => sum + sample.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.at - meanAt) * (sample.value - meanValue);
    variance += (sample.at - meanAt) ** 2;
  }
  const slope = variance > 0 ? covariance / variance : 0;
  return meanValue + slope * (at - meanAt);
}

function mean(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((value): value is number => value !== undefined);
  return present.length === 0 ? undefined : present.reduce((sum, value) => sum + value, 0) / present.length;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
