import { describe, expect, it } from "vitest";
import { LagMeter, LevelMeter, RateMeter } from "./meters.ts";

describe("RateMeter", () => {
  it("reports the sum per second over its window", () => {
    const m = new RateMeter(1_000);
    for (let t = 0; t < 1_000; t += 100) m.add(t, 10);
    expect(m.perSecond(999)).toBe(100);
    expect(m.perSecond(1_450)).toBe(50);
    expect(m.perSecond(5_000)).toBe(0);
  });
});

describe("LagMeter", () => {
  it("measures queueing above the smallest recent age, ignoring a constant clock offset", () => {
    const m = new LagMeter(5_000);
    const offset = 3_600_000_000; // an hour of clock offset between machines
    expect(m.observe(1_000_000 + offset, 990_000)).toBe(0);
    expect(m.observe(1_033_000 + offset, 1_023_000)).toBe(0);
    // a frame captured 300 ms earlier than its neighbours arrives now: 300 ms queued
    expect(m.observe(1_066_000 + offset, 756_000)).toBe(300_000);
  });

  it("forgets the floor after its window", () => {
    const m = new LagMeter(1_000);
    m.observe(0, 0);
    expect(m.observe(500_000, 400_000)).toBe(100_000);
    expect(m.observe(2_000_000, 1_900_000)).toBe(0);
  });
});

describe("LevelMeter", () => {
  it("holds the peak and decays", () => {
    const m = new LevelMeter(100);
    m.add(0, [new Float32Array([0.1, -0.5, 0.2])]);
    expect(m.level(0)).toBeCloseTo(0.5);
    expect(m.level(100)).toBeCloseTo(0.25);
    m.add(100, [new Float32Array([0])]);
    expect(m.level(100)).toBeCloseTo(0.25);
  });
});
