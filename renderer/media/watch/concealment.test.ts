import { describe, expect, it } from "vitest";
import { Concealer } from "./concealment.ts";

const RATE = 48_000;
const Q = 128;
const tone = (hz: number, amp = 0.8) => (k: number) => amp * Math.sin((2 * Math.PI * hz * k) / RATE + 0.3);

/** Plays `quanta` quanta of `signal` (from sample `from`) through `c` as real audio; returns the next sample index. */
function play(c: Concealer, signal: (k: number) => number, from: number, quanta: number, channels = 1): number {
  for (let q = 0; q < quanta; q++) {
    const out = Array.from({ length: channels }, (_, ch) => Float32Array.from({ length: Q }, (_, i) => (ch === 0 ? 1 : -1) * signal(from + i)));
    c.resume(out);
    c.remember(out);
    from += Q;
  }
  return from;
}

/** `quanta` quanta of concealment, concatenated per channel, and the frames counted as sound. */
function gap(c: Concealer, quanta: number, channels = 1): { out: Float32Array[]; sounding: number } {
  const out = Array.from({ length: channels }, () => new Float32Array(quanta * Q));
  let sounding = 0;
  for (let q = 0; q < quanta; q++) {
    const view = out.map((o) => o.subarray(q * Q, (q + 1) * Q));
    sounding += c.conceal(view);
  }
  return { out, sounding };
}

const maxStep = (x: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 1; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
};

describe("Concealer", () => {
  it("continues a voiced sound with its own pitch period", () => {
    const c = new Concealer(1, RATE);
    const s = tone(187); // a period that is not a whole number of samples
    const next = play(c, s, 0, 20);
    const { out } = gap(c, 3); // 8 ms: still at full level
    let err = 0;
    for (let i = 0; i < out[0]!.length; i++) err = Math.max(err, Math.abs(out[0]![i]! - s(next + i)));
    // A cut to silence would be off by the full amplitude (0.8).
    expect(err).toBeLessThan(0.05);
  });

  it("neither edge of a gap clicks, and the sound fades out", () => {
    const c = new Concealer(1, RATE);
    const s = tone(220);
    const sineStep = (2 * Math.PI * 220 * 0.8) / RATE;
    let k = play(c, s, 0, 20);
    const heard: number[] = [s(k - 1)];
    const { out, sounding } = gap(c, 30); // 80 ms: longer than full level + fade
    heard.push(...out[0]!);
    const tail = out[0]!.subarray(out[0]!.length - Q);
    expect(tail.every((x) => x === 0)).toBe(true);
    // 10 ms full + 50 ms fade are counted as sound, the silence after is not.
    expect(sounding).toBeGreaterThanOrEqual(0.059 * RATE);
    expect(sounding).toBeLessThanOrEqual(0.061 * RATE);
    k += out[0]!.length;
    const back = [Float32Array.from({ length: Q }, (_, i) => s(k + i))];
    c.resume(back);
    heard.push(...back[0]!);
    expect(c.active).toBe(false);
    // The loudest step anywhere is the sine's own slope, plus a little for the fade and crossfade; the
    // real audio's first sample alone (0.8 · sin) would be a step of ~0.6 after silence.
    expect(maxStep(heard)).toBeLessThan(sineStep * 1.6);
  });

  it("crossfades back into real audio that resumes mid-waveform", () => {
    const c = new Concealer(1, RATE);
    const s = tone(150);
    let k = play(c, s, 0, 20);
    const before = s(k - 1);
    const { out } = gap(c, 1);
    k += Q + 37; // audio resumes at another phase than the substitute reached
    const back = [Float32Array.from({ length: Q }, (_, i) => s(k + i))];
    c.resume(back);
    const seq = [before, ...out[0]!, ...back[0]!];
    expect(maxStep(seq)).toBeLessThan(0.12);
  });

  it("has nothing to continue after silence", () => {
    const c = new Concealer(2, RATE);
    play(c, () => 0, 0, 10, 2);
    const { out, sounding } = gap(c, 4, 2);
    expect(sounding).toBe(0);
    expect(out.every((o) => o.every((x) => x === 0))).toBe(true);
  });

  it("continues each channel with its own samples", () => {
    const c = new Concealer(2, RATE);
    play(c, tone(200), 0, 20, 2); // channel 1 is channel 0 inverted
    const { out } = gap(c, 2, 2);
    for (let i = 0; i < out[0]!.length; i++) expect(out[1]![i]).toBeCloseTo(-out[0]![i]!, 6);
    expect(Math.max(...out[0]!)).toBeGreaterThan(0.7);
  });

  it("repeats noise-like sound without going silent at once", () => {
    const c = new Concealer(1, RATE);
    let seed = 1;
    const noise = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.5;
    play(c, noise, 0, 20);
    const { out, sounding } = gap(c, 3);
    expect(sounding).toBe(3 * Q);
    const rms = Math.sqrt(out[0]!.reduce((a, x) => a + x * x, 0) / out[0]!.length);
    expect(rms).toBeGreaterThan(0.1);
  });
});
