/**
 * Capture times of encoded audio. Chromium's AudioEncoder stamps its output as `first input timestamp +
 * samples consumed`, ignoring gaps in the input (measured: a 500 ms gap between AudioData left the Opus
 * timestamps running on as if none had happened). Capture drops audio whenever the page is starved, so
 * those timestamps fall behind the wall clock for good — 1.8 s behind after a loaded minute. This keeps
 * the real timestamp of every input span and maps each output back through the sample count.
 */

/** Input spans fed to one encoder instance, by sample position. */
export class SampleTimeline {
  readonly #rate: number;
  #base: number | undefined;
  #fed = 0;
  readonly #spans: { start: number; timestampUs: number }[] = [];

  constructor(sampleRate: number) {
    this.#rate = sampleRate;
  }

  /** Record an input of `frames` samples captured at `timestampUs`, in the order it is fed to the encoder. */
  add(timestampUs: number, frames: number): void {
    this.#base ??= timestampUs;
    this.#spans.push({ start: this.#fed, timestampUs });
    this.#fed += frames;
  }

  /** The capture timestamp of the output the encoder stamped `encoderUs` (outputs come in order). */
  at(encoderUs: number): number {
    if (this.#base === undefined) return encoderUs;
    const sample = Math.round(((encoderUs - this.#base) * this.#rate) / 1e6);
    while (this.#spans.length > 1 && this.#spans[1]!.start <= sample) this.#spans.shift();
    const span = this.#spans[0]!;
    return Math.round(span.timestampUs + ((sample - span.start) * 1e6) / this.#rate);
  }
}
