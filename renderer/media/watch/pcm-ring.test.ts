import { describe, expect, it } from "vitest";
import { createPcmRing, PcmRingReader, PcmRingWriter, RING_SLOTS, SLOT_FRAMES } from "./pcm-ring.ts";

const RATE = 48_000;
const plane = (n: number, at: number): Float32Array => Float32Array.from({ length: n }, (_, i) => at + i);
const ring = (channels = 2): { w: PcmRingWriter; r: PcmRingReader; index: Int32Array } => {
  const b = createPcmRing(channels, true)!;
  return { w: new PcmRingWriter(b), r: new PcmRingReader(b), index: new Int32Array(b.index) };
};
const drained = (r: PcmRingReader): { us: number; planes: number[][] }[] => {
  const got: { us: number; planes: number[][] }[] = [];
  r.drain((us, planes) => got.push({ us, planes: planes.map((p) => [...p]) }));
  return got;
};

describe("PcmRing", () => {
  it("needs a cross-origin isolated page", () => {
    expect(createPcmRing(2, false)).toBeUndefined();
    expect(createPcmRing(2)).toBeUndefined(); // this test environment is not isolated
  });

  it("hands chunks over in order with their timestamps and samples; a missing channel repeats the first", () => {
    const { w, r } = ring();
    expect(w.write(1_000, [plane(960, 0), plane(960, 5000)], RATE)).toBe(true);
    expect(w.write(21_000, [plane(480, 10_000)], RATE)).toBe(true);
    const got = drained(r);
    expect(got.map((g) => g.us)).toEqual([1_000, 21_000]);
    expect(got[0]!.planes).toEqual([[...plane(960, 0)], [...plane(960, 5000)]]);
    expect(got[1]!.planes).toEqual([[...plane(480, 10_000)], [...plane(480, 10_000)]]);
    expect(drained(r)).toEqual([]);
  });

  it("splits a chunk longer than a slot, each part stamped where it starts", () => {
    const { w, r } = ring(1);
    const n = SLOT_FRAMES * 2 + 100;
    expect(w.write(0, [plane(n, 0)], RATE)).toBe(true);
    const got = drained(r);
    expect(got.map((g) => g.planes[0]!.length)).toEqual([SLOT_FRAMES, SLOT_FRAMES, 100]);
    expect(got.map((g) => g.us)).toEqual([0, (SLOT_FRAMES * 1e6) / RATE, (2 * SLOT_FRAMES * 1e6) / RATE]);
    expect(got.flatMap((g) => g.planes[0]!)).toEqual([...plane(n, 0)]);
  });

  it("refuses a chunk it has no room for, whole, and takes it again once the reader caught up", () => {
    const { w, r } = ring(1);
    for (let i = 0; i < RING_SLOTS; i++) expect(w.write(i, [plane(960, i)], RATE)).toBe(true);
    expect(w.write(99, [plane(960, 99)], RATE)).toBe(false);
    expect(drained(r).map((g) => g.us)).toEqual(Array.from({ length: RING_SLOTS }, (_, i) => i));
    for (let i = 0; i < RING_SLOTS - 1; i++) w.write(i, [plane(10, 0)], RATE);
    expect(w.write(7, [plane(SLOT_FRAMES + 1, 0)], RATE)).toBe(false); // needs two slots, one is free
    expect(drained(r)).toHaveLength(RING_SLOTS - 1);
  });

  it("keeps working when its counters wrap around", () => {
    const { w, r, index } = ring(1);
    index[0] = index[1] = 2 ** 31 - 3;
    for (let i = 0; i < 10; i++) {
      expect(w.write(i, [plane(100, i)], RATE)).toBe(true);
      expect(drained(r)).toEqual([{ us: i, planes: [[...plane(100, i)]] }]);
    }
    expect(index[0]).toBeLessThan(0);
  });
});
