import { describe, expect, it } from "vitest";
import { JitterBuffer } from "./jitter-buffer.ts";

const RATE = 48_000;
const chunk = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);
const quantum = (channels = 2): Float32Array[] => Array.from({ length: channels }, () => new Float32Array(128));

describe("JitterBuffer", () => {
  it("prebuffers to the target, then plays in order with timestamps", () => {
    const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 480, maxFrames: 4_800 });
    b.write(1_000_000, [chunk(240, 0.1)]);
    const out = quantum();
    expect(b.read(out)).toBe(false);
    expect(out[0]![0]).toBe(0);
    b.write(1_005_000, [chunk(240, 0.2)]);
    expect(b.headTimestampUs()).toBe(1_000_000);
    expect(b.read(out)).toBe(true);
    expect(out[0]![0]).toBeCloseTo(0.1);
    expect(out[1]![0]).toBeCloseTo(0.1); // mono fills both outputs
    expect(b.headTimestampUs()).toBeCloseTo(1_000_000 + (128 * 1e6) / RATE);
    b.read(out); // samples 128..255: the first chunk ends at 240
    expect(out[0]![111]).toBeCloseTo(0.1);
    expect(out[0]![112]).toBeCloseTo(0.2);
    expect(b.headTimestampUs()).toBeCloseTo(1_005_000 + (16 * 1e6) / RATE);
  });

  it("counts an underrun, outputs silence and prebuffers again", () => {
    const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 256, maxFrames: 4_800 });
    b.write(0, [chunk(300, 0.5)]);
    const out = quantum(1);
    expect(b.read(out)).toBe(true);
    expect(b.read(out)).toBe(true);
    expect(b.read(out)).toBe(false); // 44 left < 128
    expect(b.counters.underruns).toBe(1);
    expect(out[0]!.every((x) => x === 0)).toBe(true);
    b.write(10_000, [chunk(100, 0.5)]);
    expect(b.read(out)).toBe(false); // 144 < target 256
    expect(b.counters.underruns).toBe(1);
  });

  it("drops the oldest samples down to the target when over the maximum", () => {
    const b = new JitterBuffer({ channels: 2, sampleRate: RATE, targetFrames: 480, maxFrames: 1_440 });
    for (let i = 0; i < 7; i++) b.write(i * 5_000, [chunk(240, i), chunk(240, -i)]);
    expect(b.depth).toBe(480);
    expect(b.counters.droppedFrames).toBe(7 * 240 - 480);
    expect(b.headTimestampUs()).toBe(5 * 5_000);
    const out = quantum();
    b.read(out);
    expect(out[0]![0]).toBe(5);
    expect(out[1]![0]).toBe(-5);
  });

  it("wraps around the ring without corrupting samples", () => {
    const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 128, maxFrames: 100_000 });
    const out = quantum(1);
    let v = 0;
    for (let i = 0; i < 2_000; i++) {
      const c = new Float32Array(128).map((_, k) => i * 128 + k);
      b.write(i, [c]);
      b.read(out);
      expect(out[0]![127]! - out[0]![0]!).toBe(127);
      if (i > 0) expect(out[0]![0]).toBe(v + 128);
      v = out[0]![0]!;
    }
  });
});
