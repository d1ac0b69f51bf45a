/**
 * Capture time on the wall clock. Everything we publish is stamped in microseconds since the Unix epoch
 * so a receiver can take `now − timestamp` as the end-to-end delay.
 *
 * Captured frames carry timestamps on a clock of Chromium's choosing: camera VideoFrames count from
 * boot (TimeTicks), microphone AudioData from the page's time origin, neither is documented. So the
 * mapping is learned: each frame's `wall time when read − media timestamp` is an upper bound of the
 * offset between the two clocks (the frame cannot have been read before it was captured), and the
 * smallest bound seen is the best estimate. It is off by the fastest capture-to-read delay (a few ms),
 * which makes measured delays that much optimistic.
 */

/** Wall-clock microseconds now. */
export function wallClockMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * If frames keep arriving this much later than the learned offset predicts, the media clock has jumped
 * (the machine slept and the media clock paused, or the source restarted) and the offset is relearned.
 */
const RELEARN_AFTER_US = 200_000;
const RELEARN_FRAMES = 10;

/** Maps one source's media timestamps to wall-clock microseconds. */
export class CaptureClock {
  #offset: number | undefined;
  #late = 0;
  readonly #now: () => number;

  constructor(now: () => number = wallClockMicros) {
    this.#now = now;
  }

  /** Learn from a frame just read from the source. */
  observe(mediaUs: number): void {
    const bound = this.#now() - mediaUs;
    if (this.#offset === undefined || bound < this.#offset) {
      this.#offset = bound;
      this.#late = 0;
    } else if (bound - this.#offset > RELEARN_AFTER_US) {
      if (++this.#late >= RELEARN_FRAMES) {
        this.#offset = bound;
        this.#late = 0;
      }
    } else {
      this.#late = 0;
    }
  }

  /** Wall-clock microseconds of a media timestamp (now, before anything was observed). */
  toWall(mediaUs: number): number {
    return this.#offset === undefined ? this.#now() : Math.floor(mediaUs + this.#offset);
  }

  /** Forget the mapping (a new track has its own media clock). */
  reset(): void {
    this.#offset = undefined;
    this.#late = 0;
  }
}
