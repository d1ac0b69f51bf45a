/// <reference lib="dom" />
/**
 * The committed CLI test clip (assets/test-clip/clip.json: avc3 H.264 640×360 + Opus) as a live hang
 * broadcast in the page, looped in real time with fresh wall-clock timestamps like `rooms --publish test`.
 */
import * as Moq from "@moq/net";
import clip from "../../assets/test-clip/clip.json";
import { encodeCatalog, TRACKS, type Catalog } from "../../shared/media/catalog.ts";
import { encodeLegacyFrame } from "../../shared/media/container.ts";

const bytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/** Start the clip broadcast; returns it and a stop function. */
export function startClip(): { producer: Moq.Broadcast.Producer; stop(): void } {
  const producer = new Moq.Broadcast.Producer();
  const { frames: vFrames, ...video } = clip.video;
  const { frames: aFrames, ...audio } = clip.audio;
  const catalog: Catalog = {
    video: { renditions: { "video/clip": { ...video, container: { kind: "legacy" } } } },
    audio: { renditions: { "audio/clip": { ...audio, container: { kind: "legacy" } } } },
  };
  const cat = producer.createTrack(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  cat.appendGroup().writeFrame({ payload: encodeCatalog(catalog), timestamp: Moq.Time.Timestamp.fromMicros(Date.now() * 1000) });
  const opts = { latencyMax: 500, timescale: Moq.Time.Timescale.MICRO };
  const vTrack = producer.createTrack("video/clip", { ...opts, priority: TRACKS.videoPriority });
  const aTrack = producer.createTrack("audio/clip", { ...opts, priority: TRACKS.audioPriority });
  const events = [
    ...vFrames.map((f) => ({ track: vTrack, ts: f.ts, key: f.key, data: bytes(f.data) })),
    ...aFrames.map((f) => ({ track: aTrack, ts: f.ts, key: true, data: bytes(f.data) })),
  ].sort((a, b) => a.ts - b.ts);
  const groups = new Map<Moq.Track.Producer, Moq.Group.Producer>();
  const start = Date.now() * 1000;
  let next = 0;
  let loop = 0;
  const timer = setInterval(() => {
    const now = Date.now() * 1000;
    for (;;) {
      const e = events[next];
      if (e === undefined) {
        next = 0;
        loop++;
        continue;
      }
      const ts = start + loop * clip.durationUs + e.ts;
      if (ts > now) break;
      let g = groups.get(e.track);
      if (e.key || g === undefined) {
        g?.close();
        g = e.track.appendGroup();
        groups.set(e.track, g);
      }
      g.writeFrame({ payload: encodeLegacyFrame(ts, e.data), timestamp: Moq.Time.Timestamp.fromMicros(ts) });
      next++;
    }
  }, 5);
  return {
    producer,
    stop: () => {
      clearInterval(timer);
      for (const g of groups.values()) g.close();
      vTrack.close();
      aTrack.close();
      cat.close();
      producer.close();
    },
  };
}
