import * as Moq from "@moq/net";
import { expect, it } from "vitest";
import { whileUsed } from "./demand.ts";
import { RateMeter } from "./stats.ts";

const settle = () => new Promise((r) => setTimeout(r, 0));

it("runs work only while a track has subscribers", async () => {
  const broadcast = new Moq.Broadcast.Producer();
  const track = broadcast.createTrack("video/h264-360p");
  const log: string[] = [];
  const dispose = whileUsed(track, { start: () => log.push("start"), stop: () => log.push("stop") });
  expect(log).toEqual([]);

  const a = broadcast.consume().subscribe("video/h264-360p");
  const b = broadcast.consume().subscribe("video/h264-360p");
  await settle();
  expect(log).toEqual(["start"]);
  a.close();
  await settle();
  expect(log, "one subscriber is left").toEqual(["start"]);
  b.close();
  await settle();
  expect(log).toEqual(["start", "stop"]);

  broadcast.consume().subscribe("video/h264-360p");
  await settle();
  dispose();
  expect(log, "disposing stops running work").toEqual(["start", "stop", "start", "stop"]);
});

it("RateMeter counts the last two seconds", () => {
  let now = 0;
  const m = new RateMeter(() => now);
  for (let i = 0; i < 60; i++) {
    m.add(1000);
    now += 50;
  }
  // 3 s at 20 fps: the window holds the last 2 s.
  expect(m.fps()).toBe(20);
  expect(m.bitrate()).toBe(160_000);
  now += 5000;
  expect(m.fps()).toBe(0);
});
