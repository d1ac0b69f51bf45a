/**
 * Small measurements behind the stats overlay and the live-edge logic. Time is passed in, so they are
 * pure and testable.
 */

/** Sums amounts (frames, bytes) over a sliding window and reports them per second. */
export class RateMeter {
  readonly #windowMs: number;
  #samples: { t: number; n: number }[] = [];

  constructor(windowMs = 1_000) {
    this.#windowMs = windowMs;
  }

  /** Record `n` (default 1) at `nowMs`. */
  add(nowMs: number, n = 1): void {
    this.#samples.push({ t: nowMs, n });
    this.#trim(nowMs);
  }

  /** Amount per second over the window ending at `nowMs`. */
  perSecond(nowMs: number): number {
    this.#trim(nowMs);
    const total = this.#samples.reduce((s, x) => s + x.n, 0);
    return (total * 1_000) / this.#windowMs;
  }

  #trim(nowMs: number): void {
    let drop = 0;
    while (drop < this.#samples.length && nowMs - this.#samples[drop]!.t >= this.#windowMs) drop++;
    if (drop > 0) this.#samples.splice(0, drop);
  }
}

/**
 * How far behind the live edge a frame is. A frame's age (receive wall clock − capture timestamp) is
 * transit plus, across machines, the clock offset between them; the smallest age seen recently is the
 * best estimate of that floor, so `lag = age − floor` is the time spent queued. The floor is a sliding
 * minimum, so a lasting change (clock step, new route) is forgotten after `windowMs`.
 */
export class LagMeter {
  readonly #windowMs: number;
  /** Monotonic deque of (time, age): ages increase from front to back. */
  #mins: { t: number; age: number }[] = [];

  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs;
  }

  /** Record a frame captured at `timestampUs` seen at wall clock `nowUs`; returns its lag in µs. */
  observe(nowUs: number, timestampUs: number): number {
    const age = nowUs - timestampUs;
    const t = nowUs / 1_000;
    while (this.#mins.length > 0 && this.#mins[this.#mins.length - 1]!.age >= age) this.#mins.pop();
    this.#mins.push({ t, age });
    while (this.#mins.length > 0 && t - this.#mins[0]!.t > this.#windowMs) this.#mins.shift();
    return age - this.floorUs();
  }

  /** The smallest recent age, 0 before any frame. */
  floorUs(): number {
    return this.#mins[0]?.age ?? 0;
  }
}

/** Peak level 0..1 of planar samples, decaying so a speaking indicator does not flicker. */
export class LevelMeter {
  #level = 0;
  #at = 0;
  readonly #halfLifeMs: number;

  constructor(halfLifeMs = 150) {
    this.#halfLifeMs = halfLifeMs;
  }

  /** Feed decoded samples (any channel layout) at `nowMs`. */
  add(nowMs: number, channels: readonly Float32Array[]): void {
    let peak = 0;
    for (const ch of channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]!));
    this.#level = Math.max(this.level(nowMs), Math.min(1, peak));
    this.#at = nowMs;
  }

  /** The level at `nowMs`. */
  level(nowMs: number): number {
    return this.#level * Math.pow(0.5, Math.max(0, nowMs - this.#at) / this.#halfLifeMs);
  }
}
