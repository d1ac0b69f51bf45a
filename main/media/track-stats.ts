/**
 * Frame counting and delay measurement on a subscribed media track (CLI `--subscribe-stats`, benchmarks).
 * Delay = our wall clock − the frame's timestamp, which is the sender's wall clock (main/media/time.ts).
 */
import type * as Moq from "@moq/net";
import { decodeLegacyFrame } from "../../shared/media/container.ts";
import { wallClockMicros } from "./time.ts";

/** Running counters of one track. */
export interface TrackCounters {
  frames: number;
  bytes: number;
  /** Delay samples (ms) since the last {@link TrackCounters} reset. */
  delaysMs: number[];
  /** Timestamps went backwards within the track. */
  outOfOrder: number;
}

/** Read every frame of `track` (ordered, every group) until it ends; calls `onFrame` per frame. */
export async function countTrack(
  broadcast: Moq.Broadcast.Consumer,
  track: string,
  priority: number,
  counters: TrackCounters,
  onFrame?: (f: { timestampUs: number; delayMs: number; size: number }) => void,
): Promise<void> {
  const sub = broadcast.subscribe(track, { priority, ordered: true });
  let lastTs = -1;
  try {
    for (;;) {
      const group = await sub.recvGroup();
      if (group === undefined) return;
      for (;;) {
        const frame = await group.readFrame();
        if (frame === undefined) break;
        const { timestampUs } = decodeLegacyFrame(frame.payload);
        const delayMs = (wallClockMicros() - timestampUs) / 1000;
        if (timestampUs < lastTs) counters.outOfOrder++;
        lastTs = timestampUs;
        counters.frames++;
        counters.bytes += frame.payload.length;
        counters.delaysMs.push(delayMs);
        onFrame?.({ timestampUs, delayMs, size: frame.payload.length });
      }
    }
  } finally {
    sub.close();
  }
}
