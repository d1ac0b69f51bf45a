import { expect, it } from "vitest";
import { SampleTimeline } from "./sample-timeline.ts";

it("maps encoder timestamps back to capture time across input gaps", () => {
  const t = new SampleTimeline(48_000);
  // Ten 10 ms inputs, a 500 ms hole (capture dropped audio), ten more.
  let ts = 1_000_000;
  for (let i = 0; i < 10; i++, ts += 10_000) t.add(ts, 480);
  ts += 500_000;
  for (let i = 0; i < 10; i++, ts += 10_000) t.add(ts, 480);
  // What Chromium's Opus encoder stamps: 20 ms steps from the first input, blind to the hole.
  const encoder = Array.from({ length: 10 }, (_, i) => 1_000_000 + i * 20_000);
  expect(encoder.map((e) => t.at(e))).toEqual([1_000_000, 1_020_000, 1_040_000, 1_060_000, 1_080_000, 1_600_000, 1_620_000, 1_640_000, 1_660_000, 1_680_000]);
});

it("interpolates inside an input span", () => {
  const t = new SampleTimeline(48_000);
  t.add(5_000_000, 960);
  expect(t.at(5_010_000)).toBe(5_010_000);
});
