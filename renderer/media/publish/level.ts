/**
 * Microphone level for the speaking indicator, computed from the AudioData the engine reads anyway:
 * cheaper than an AnalyserNode graph, and it works before any user gesture has resumed an AudioContext.
 */
import type { FrameSink } from "./frame-source.ts";

/** Levels below this many dBFS read as silence; 0 dBFS reads as 1. */
const FLOOR_DB = -60;
/** A reading older than this is stale (microphone stopped). */
const STALE_MS = 500;
/** Smoothing of the falling edge, per reading (a 10 ms AudioData): the indicator does not flicker. */
const DECAY = 0.85;

/** RMS level of the first channel, smoothed, as 0..1. */
export class LevelMeter implements FrameSink<AudioData> {
  #level = 0;
  #at = -Infinity;
  #buf = new Float32Array(0);

  push(data: AudioData): void {
    const n = data.numberOfFrames;
    if (this.#buf.length < n) this.#buf = new Float32Array(n);
    const samples = this.#buf.subarray(0, n);
    data.copyTo(samples, { planeIndex: 0, format: "f32-planar" });
    let sum = 0;
    for (const s of samples) sum += s * s;
    const rms = Math.sqrt(sum / Math.max(1, n));
    const db = rms > 0 ? 20 * Math.log10(rms) : -Infinity;
    const level = Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB));
    this.#level = Math.max(level, this.#level * DECAY);
    this.#at = performance.now();
  }

  /** The current level, 0 when nothing was heard recently. */
  level(): number {
    return performance.now() - this.#at > STALE_MS ? 0 : this.#level;
  }
}
