/**
 * Paced-frame latency benchmark between two libp2p nodes in this process: one publishes a `video` track
 * at a fixed rate through Live, the other subscribes and timestamps every frame on arrival. Each payload
 * starts with the frame index (u32) and its send time (f64, performance.now()), so latency needs no
 * clock sync. Used by `npm run bench`; also a handy smoke test.
 */
import type { Libp2p } from "@libp2p/interface";
import * as Moq from "@moq/net";
import { createLive, type Live, type LiveInit } from "./live.ts";

/** Options for {@link benchPacedFrames}. */
export interface PacedFramesInit {
  /** Frames per second (default 30). */
  fps?: number;
  /** Payload bytes per frame, at least 12 (default 10 000). */
  payloadBytes?: number;
  /** Frames to send (default 300). */
  count?: number;
  /** Frames per group; a group is one MoQ stream, like a GOP (default 30). */
  framesPerGroup?: number;
  /** Give up waiting for frames this long after the last one was sent (default 5 s). */
  drainMs?: number;
  /** Extra Live options for both ends (e.g. framing knobs, to compare variants). */
  live?: Omit<LiveInit, "signal">;
  signal?: AbortSignal;
}

/** What {@link benchPacedFrames} measured. */
export interface PacedFramesResult {
  /** Send→receive latency of every received frame, in send order (ms). */
  latenciesMs: number[];
  sent: number;
  received: number;
  /** Frames that arrived out of order (should be 0). */
  reordered: number;
  /** Payload bytes received per second of the run. */
  bytesPerSecond: number;
}

/** Run paced frames from `publisher` to `subscriber` (connecting them if needed) and collect latencies. */
export async function benchPacedFrames(publisher: Libp2p, subscriber: Libp2p, init: PacedFramesInit = {}): Promise<PacedFramesResult> {
  const fps = init.fps ?? 30;
  const size = Math.max(12, init.payloadBytes ?? 10_000);
  const count = init.count ?? 300;
  const perGroup = init.framesPerGroup ?? 30;
  const signal = init.signal;
  if (subscriber.getConnections(publisher.peerId).length === 0) await subscriber.dial(publisher.getMultiaddrs(), { signal });

  const lives: Live[] = [];
  try {
    const pub = await createLive(publisher, { ...init.live, signal });
    lives.push(pub);
    const sub = await createLive(subscriber, { ...init.live, signal });
    lives.push(sub);

    const broadcast = new Moq.Broadcast.Producer();
    const video = broadcast.createTrack("video", { timescale: Moq.Time.Timescale.MICRO, priority: 2 });
    pub.publish("bench", broadcast);
    const remote = await sub.subscribe(pub.peerId, "bench", { signal });
    const track = remote.consumer.track("video").subscribe({ ordered: true, priority: 2 });
    while (!video.used.peek()) await video.used.changed();

    const latenciesMs: number[] = [];
    let reordered = 0;
    let bytes = 0;
    const reading = (async () => {
      let next = 0;
      for (;;) {
        const group = await track.recvGroup();
        if (group === undefined) return;
        for (;;) {
          const frame = await group.readFrame();
          if (frame === undefined) break;
          const now = performance.now();
          const view = new DataView(frame.payload.buffer, frame.payload.byteOffset, frame.payload.byteLength);
          const index = view.getUint32(0);
          if (index !== next) reordered++;
          next = index + 1;
          latenciesMs.push(now - view.getFloat64(4));
          bytes += frame.payload.byteLength;
          if (latenciesMs.length === count) return;
        }
      }
    })();
    reading.catch(() => undefined); // observed through the race below

    const t0 = performance.now();
    let group: Moq.Group.Producer | undefined;
    for (let i = 0; i < count; i++) {
      signal?.throwIfAborted();
      const wait = t0 + (i * 1000) / fps - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (i % perGroup === 0) {
        group?.close();
        group = video.appendGroup();
      }
      const payload = new Uint8Array(size);
      const view = new DataView(payload.buffer);
      view.setUint32(0, i);
      view.setFloat64(4, performance.now());
      group!.writeFrame({ payload, timestamp: Moq.Time.Timestamp.fromMicros(Math.round((i * 1e6) / fps)) });
    }
    group?.close();
    // Close the track only after the reader is done: a subscriber drops groups in flight when the track ends.
    const drainMs = init.drainMs ?? 5_000;
    await Promise.race([reading, new Promise((r) => setTimeout(r, drainMs))]);
    const elapsed = (performance.now() - t0) / 1000;
    video.close();
    broadcast.close();
    track.close();
    remote.close();
    return { latenciesMs, sent: count, received: latenciesMs.length, reordered, bytesPerSecond: bytes / elapsed };
  } finally {
    await Promise.all(lives.map((l) => l.close()));
  }
}
