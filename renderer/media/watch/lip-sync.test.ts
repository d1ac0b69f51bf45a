import { describe, expect, it } from "vitest";
import { LIP_SYNC_LEAD_US, MAX_VIDEO_HOLD_US, presentationClockUs } from "./lip-sync.ts";

const LIVE = 1_700_000_000_000_000;
const ms = 1_000;

describe("presentationClockUs", () => {
  it("is the live edge without audio, or with sound less than the lead behind it", () => {
    expect(presentationClockUs(LIVE, undefined)).toBe(LIVE);
    expect(presentationClockUs(LIVE, LIVE)).toBe(LIVE);
    expect(presentationClockUs(LIVE, LIVE - LIP_SYNC_LEAD_US)).toBe(LIVE);
    expect(presentationClockUs(LIVE, LIVE + 30 * ms)).toBe(LIVE); // sound ahead of the picture: nothing to wait for
  });

  it("holds video so it runs at most the lead ahead of later sound", () => {
    expect(presentationClockUs(LIVE, LIVE - 100 * ms)).toBe(LIVE - 100 * ms + LIP_SYNC_LEAD_US);
    expect(presentationClockUs(LIVE, LIVE - 150 * ms)).toBe(LIVE - 150 * ms + LIP_SYNC_LEAD_US);
  });

  it("never holds video more than the cap, however late the sound", () => {
    expect(presentationClockUs(LIVE, LIVE - 2_000 * ms)).toBe(LIVE - MAX_VIDEO_HOLD_US);
  });

  it("moves smoothly as the sound's delay changes (no jump between following audio and not)", () => {
    let prev = presentationClockUs(LIVE, LIVE);
    for (let lag = 0; lag <= 400 * ms; lag += ms) {
      const c = presentationClockUs(LIVE, LIVE - lag);
      expect(Math.abs(c - prev)).toBeLessThanOrEqual(ms);
      prev = c;
    }
  });
});
