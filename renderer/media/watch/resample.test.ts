import { describe, expect, it } from "vitest";
import { resampleLinear } from "./resample.ts";

describe("resampleLinear", () => {
  it("passes through at equal rates", () => {
    const x = new Float32Array([1, 2, 3]);
    expect(resampleLinear(x, 48_000, 48_000)).toBe(x);
  });

  it("interpolates when upsampling and keeps duration", () => {
    const out = resampleLinear(new Float32Array([0, 1, 2, 3]), 24_000, 48_000);
    expect(out.length).toBe(8);
    expect([...out.subarray(0, 6)]).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it("decimates when downsampling", () => {
    const out = resampleLinear(new Float32Array([0, 1, 2, 3, 4, 5]), 48_000, 16_000);
    expect([...out]).toEqual([0, 3]);
  });
});
