import { describe, expect, it } from "vitest";
import { decodeCatalog, type VideoConfig } from "../../../shared/media/catalog.ts";
import { decodeLegacyFrame } from "../../../shared/media/container.ts";
import { HangBroadcast } from "./broadcast.ts";

const video: VideoConfig = { codec: "avc3.42e01e", container: { kind: "legacy" }, codedWidth: 640, codedHeight: 360 };

async function latestCatalog(b: HangBroadcast) {
  const sub = b.producer.consume().subscribe("catalog.json");
  let group = await sub.recvGroup();
  for (let g = sub.tryRecvGroup(); g !== undefined; g = sub.tryRecvGroup()) group = g;
  const frame = await group!.readFrame();
  sub.close();
  return decodeCatalog(frame!.payload);
}

describe("HangBroadcast", () => {
  it("lists added renditions in a valid catalog and drops removed ones", async () => {
    const b = new HangBroadcast();
    expect(await latestCatalog(b)).toEqual({});
    b.addVideo("video/h264-360p", video);
    b.addAudio("audio/opus", { codec: "opus", container: { kind: "legacy" }, sampleRate: 48_000, numberOfChannels: 1 });
    const c = await latestCatalog(b);
    expect(Object.keys(c.video!.renditions)).toEqual(["video/h264-360p"]);
    expect(c.audio!.renditions["audio/opus"]!.sampleRate).toBe(48_000);
    b.remove("audio/opus");
    expect((await latestCatalog(b)).audio).toBeUndefined();
    b.close();
  });

  it("ends a removed rendition's track for its subscribers", async () => {
    const b = new HangBroadcast();
    const track = b.addAudio("audio/opus", { codec: "opus", container: { kind: "legacy" }, sampleRate: 48_000, numberOfChannels: 1 });
    const sub = b.producer.consume().subscribe("audio/opus");
    expect(track.track.used.peek()).toBe(true);
    b.remove("audio/opus");
    expect(await sub.recvGroup()).toBeUndefined();
  });

  it("starts a group at each keyframe, drops frames before the first, keeps timestamps increasing", async () => {
    const b = new HangBroadcast();
    const track = b.addVideo("video/h264-360p", video);
    const sub = b.producer.consume().subscribe("video/h264-360p");
    expect(track.write(1000, new Uint8Array([0]), false)).toBeUndefined();
    track.write(2000, new Uint8Array([1]), true);
    track.write(2000, new Uint8Array([2]), false); // same capture time: nudged by 1 µs
    track.write(3000, new Uint8Array([3]), true);
    track.pause();
    const seen: [number, number, number][] = [];
    for (let i = 0; i < 2; i++) {
      const g = (await sub.recvGroup())!;
      for (let f = await g.readFrame(); f !== undefined; f = await g.readFrame()) {
        const { timestampUs, payload } = decodeLegacyFrame(f.payload);
        seen.push([g.sequence, timestampUs, payload[0]!]);
      }
    }
    const [g0] = seen[0]!;
    expect(seen).toEqual([
      [g0, 2000, 1],
      [g0, 2001, 2],
      [g0 + 1, 3000, 3],
    ]);
    b.close();
  });
});
