import { describe, expect, it } from "vitest";
import { cameraPlan, samePlans, screenPlan } from "./renditions.ts";

describe("cameraPlan", () => {
  it("gives 360p and 720p for a 720p camera", () => {
    const plans = cameraPlan({ width: 1280, height: 720, framerate: 30 });
    expect(plans.map((p) => [p.label, p.width, p.height, p.framerate])).toEqual([
      ["360p", 640, 360, 30],
      ["720p", 1280, 720, 30],
    ]);
    expect(plans[0]!.bitrate).toBeLessThan(plans[1]!.bitrate);
  });

  it("scales a 1080p camera down to 720p, never up", () => {
    expect(cameraPlan({ width: 1920, height: 1080 }).map((p) => p.label)).toEqual(["360p", "720p"]);
    expect(cameraPlan({ width: 640, height: 480, framerate: 20 }).map((p) => [p.label, p.width, p.height, p.framerate])).toEqual([
      ["360p", 480, 360, 20],
      ["480p", 640, 480, 20],
    ]);
  });

  it("gives one rendition for a small camera", () => {
    expect(cameraPlan({ width: 320, height: 240 }).map((p) => [p.label, p.width, p.height])).toEqual([["240p", 320, 240]]);
  });

  it("keeps sizes even (H.264 4:2:0 needs it) and caps the rate at 30", () => {
    const [low] = cameraPlan({ width: 1366, height: 768, framerate: 60 });
    expect(low!.width % 2).toBe(0);
    expect(low!.framerate).toBe(30);
  });
});

describe("screenPlan", () => {
  it("keeps the captured size up to 1920 wide", () => {
    expect(screenPlan({ width: 800, height: 450, framerate: 30 })).toMatchObject({ label: "screen", width: 800, height: 450, framerate: 30 });
    expect(screenPlan({ width: 3840, height: 2160, framerate: 60 })).toMatchObject({ width: 1920, height: 1080, framerate: 30 });
  });

  it("gives screens more bits than a camera of the same size", () => {
    const cam = cameraPlan({ width: 1280, height: 720, framerate: 30 })[1]!;
    expect(screenPlan({ width: 1280, height: 720, framerate: 30 }).bitrate).toBeGreaterThan(cam.bitrate);
  });
});

it("samePlans compares every field", () => {
  const a = cameraPlan({ width: 1280, height: 720, framerate: 30 });
  expect(samePlans(a, cameraPlan({ width: 1280, height: 720, framerate: 30 }))).toBe(true);
  expect(samePlans(a, cameraPlan({ width: 1280, height: 720, framerate: 20 }))).toBe(false);
});
