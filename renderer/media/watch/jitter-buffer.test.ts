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

  it("counts an underrun, conceals the gap and prebuffers again", () => {
    const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 256, maxFrames: 4_800 });
    b.write(0, [chunk(300, 0.5)]);
    const out = quantum(1);
    expect(b.read(out)).toBe(true);
    expect(b.read(out)).toBe(true);
    expect(b.read(out)).toBe(false); // 44 left < 128
    expect(b.counters.underruns).toBe(1);
    // Not a cut to silence: the sound carries on (concealment.ts has the details).
    expect(out[0]!.every((x) => Math.abs(x - 0.5) < 1e-6)).toBe(true);
    expect(b.counters.concealedFrames).toBe(128);
    b.write(10_000, [chunk(100, 0.5)]);
    expect(b.read(out)).toBe(false); // 144 < target 256
    expect(b.counters.underruns).toBe(1);
    b.write(20_000, [chunk(200, 0.5)]);
    expect(b.read(out)).toBe(true); // the 44 left over play first, nothing lost
    expect(b.depth).toBe(344 - 128);
  });

  it("outputs silence while prebuffering a stream that has not started", () => {
    const b = new JitterBuffer({ channels: 2, sampleRate: RATE, targetFrames: 480, maxFrames: 4_800 });
    b.write(0, [chunk(240, 0.3), chunk(240, 0.3)]);
    const out = quantum();
    expect(b.read(out)).toBe(false);
    expect(out.every((o) => o.every((x) => x === 0))).toBe(true);
    expect(b.counters.concealedFrames).toBe(0);
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

  describe("trimming a standing excess", () => {
    // Feeds a 20 ms chunk whenever the buffer has played 20 ms, as a steady sender does after a burst.
    const steady = (b: JitterBuffer, level: number, seconds: number): number[] => {
      const out = quantum(1);
      const depths: number[] = [];
      let fed = 0;
      for (let played = 0; played < seconds * RATE; played += 128) {
        while (fed < played + 960) {
          b.write((fed * 1e6) / RATE, [chunk(960, level)]);
          fed += 960;
        }
        b.read(out);
        depths.push(b.depth);
      }
      return depths;
    };

    it("skips silent quanta until the depth is back near the target, and no lower", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      b.write(0, [chunk(4_800, 0)]); // a burst: 100 ms buffered for a 50 ms target
      const depths = steady(b, 0, 3);
      const settled = depths.slice(-200);
      expect(Math.max(...settled)).toBeLessThan(2_400 + 480 + 960 + 128); // target + slack + a chunk + a quantum
      expect(Math.min(...depths)).toBeGreaterThanOrEqual(2_400 - 128);
      expect(b.counters.underruns).toBe(0);
      expect(b.counters.droppedFrames).toBeGreaterThan(1_500);
    });

    it("never cuts sound: a loud stretch keeps its excess", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      b.write(0, [chunk(4_800, 0.5)]);
      const depths = steady(b, 0.5, 3);
      expect(Math.min(...depths.slice(-200))).toBeGreaterThan(4_000);
      expect(b.counters.droppedFrames).toBe(0);
    });

    it("leaves a buffer at its target alone", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      b.write(0, [chunk(1_440, 0)]); // with the feeder's next chunk: the depth swings 2 272–3 232 about its target
      const depths = steady(b, 0, 3);
      expect(b.counters.droppedFrames).toBe(0);
      expect(Math.min(...depths)).toBeGreaterThanOrEqual(2_272);
    });
  });

  describe("a target that follows the network", () => {
    /**
     * 20 ms chunks of silence captured back to back, each arriving `late(i)` µs after its capture (plus a
     * fixed 5 ms), written when the playback clock reaches its arrival; returns the depths seen.
     */
    const network = (b: JitterBuffer, chunks: number, late: (i: number) => number): number[] => {
      const out = quantum(1);
      const arrivals = Array.from({ length: chunks }, (_, i) => ({ i, at: i * 20_000 + 5_000 + late(i) })).sort((x, y) => x.at - y.at);
      const depths: number[] = [];
      let next = 0;
      for (let clock = 0; next < arrivals.length; clock += (128 * 1e6) / RATE) {
        while (next < arrivals.length && arrivals[next]!.at <= clock) {
          const { i, at } = arrivals[next++]!;
          b.write(i * 20_000, [chunk(960, 0)], at);
        }
        b.read(out);
        depths.push(b.depth);
      }
      return depths;
    };

    it("comes down to ~20 ms on a clean link, without underruns", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      b.write(-100_000, [chunk(4_800, 0)]); // a backlog of 100 ms to start with
      const depths = network(b, 500, (i) => (i * 7_919) % 3_000); // up to 3 ms of jitter
      expect(b.targetFrames).toBe(Math.round(0.02 * RATE)); // the floor: 3 ms + the 10 ms margin is below it
      // Settled: the least depth at target + 10 ms slack, plus a chunk in flight, a quantum and the jitter.
      const settled = depths.slice(-200);
      expect(Math.max(...settled)).toBeLessThanOrEqual(960 + 480 + 960 + 128 + 144);
      expect(Math.min(...settled)).toBeGreaterThanOrEqual(960 - 128);
      expect(b.counters.underruns).toBe(0);
    });

    it("keeps what a jittery link needs: chunks up to 40 ms late play without underruns once seen", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      network(b, 500, (i) => (i % 10 === 3 ? 40_000 : 0));
      expect(b.targetFrames).toBeGreaterThanOrEqual(Math.round(0.04 * RATE));
      expect(b.targetFrames).toBeLessThanOrEqual(Math.round(0.06 * RATE));
      expect(b.counters.underruns).toBeLessThanOrEqual(1); // at most the first late chunk, before the target knew
    });

    it("stays within half the maximum however bad the jitter", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      network(b, 300, (i) => (i % 7 === 0 ? 400_000 : 0));
      expect(b.targetFrames).toBe(3_600);
    });

    it("starts over when the transit time jumps (a new stream), instead of reading it as jitter", () => {
      const b = new JitterBuffer({ channels: 1, sampleRate: RATE, targetFrames: 2_400, maxFrames: 7_200 });
      for (let i = 0; i < 100; i++) b.write(i * 20_000, [chunk(960, 0)], i * 20_000 + 5_000);
      for (let i = 0; i < 100; i++) b.write(50_000_000 + i * 20_000, [chunk(960, 0)], 2_000_000 + i * 20_000 + 5_000);
      expect(b.targetFrames).toBe(Math.round(0.02 * RATE));
    });
  });
});
