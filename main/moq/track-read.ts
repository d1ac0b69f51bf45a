/** Reading helpers for remote tracks that do not belong in the session layer. */
import type * as Moq from "@moq/net";
import { abortReason, TrackEndedError } from "./errors.ts";

/** A track subscription positioned at its first frame; keep reading from `group`, then `subscriber`. */
export interface FirstFrame {
  readonly subscriber: Moq.Track.Subscriber;
  readonly group: Moq.Group.Consumer;
  readonly frame: Moq.Group.Frame;
}

/**
 * Subscribe to `track` and wait for its first frame (e.g. a catalog). Rejects with TrackEndedError when
 * the track ends first, or with the abort reason; the subscription is closed on rejection.
 */
export async function firstFrame(
  consumer: Moq.Broadcast.Consumer,
  track: string,
  opts: { signal?: AbortSignal; subscription?: Moq.Track.Subscription } = {},
): Promise<FirstFrame> {
  opts.signal?.throwIfAborted();
  const subscriber = consumer.track(track).subscribe(opts.subscription);
  const aborted = new Promise<never>((_, reject) => opts.signal?.addEventListener("abort", () => reject(abortReason(opts.signal!)), { once: true }));
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const group = await Promise.race([subscriber.recvGroup(), aborted]);
      if (group === undefined) throw new TrackEndedError(`track ${track} ended before its first frame`);
      const frame = await Promise.race([group.readFrame(), aborted]);
      if (frame !== undefined) return { subscriber, group, frame };
      group.close(); // an empty group: the next one will do
    }
  } catch (err) {
    subscriber.close();
    throw err;
  }
}
