import { describe, expect, it } from "vitest";
import { CaptureClock, wallClockMicros } from "./clock.ts";

describe("CaptureClock", () => {
  const setup = () => {
    let now = 1_800_000_000_000_000;
    const clock = new CaptureClock(() => now);
    return { clock, advance: (us: number) => (now += us), now: () => now };
  };

  it("maps media time with the smallest read delay seen", () => {
    const { clock, advance, now } = setup();
    const base = 5_000_000; // media clock at the first frame's capture
    advance(30_000); // read 30 ms after capture
    clock.observe(base);
    advance(20_000); // next frame captured 33 ms after the first, read at +50 ms: only 17 ms delay
    clock.observe(base + 33_000);
    // The second frame came through faster, so it sets the mapping: its delay counts as zero and the
    // first frame's capture is placed 33 ms (media time) before it, not at its slower read time.
    expect(clock.toWall(base + 33_000)).toBe(now());
    expect(clock.toWall(base)).toBe(now() - 33_000);
  });

  it("relearns after a jump in the media clock", () => {
    const { clock, advance, now } = setup();
    clock.observe(0);
    advance(10_000_000); // the media clock paused for 10 s (suspend)
    for (let i = 0; i < 10; i++) {
      clock.observe(i * 1000);
      advance(1000);
    }
    expect(Math.abs(clock.toWall(9000) - now())).toBeLessThan(5000);
  });

  it("gives now before any frame and after a reset", () => {
    const { clock, now } = setup();
    expect(clock.toWall(123)).toBe(now());
    clock.observe(0);
    clock.reset();
    expect(clock.toWall(123)).toBe(now());
  });

  it("uses the Unix epoch", () => {
    expect(Math.abs(wallClockMicros() / 1000 - Date.now())).toBeLessThan(50);
  });
});
