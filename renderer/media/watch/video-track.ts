/**
 * Reads one video rendition's track: groups in order, each starting at a keyframe, frames unwrapped from
 * hang's legacy container. When a frame arrives more than {@link LIVE_EDGE_US} behind the live edge and a
 * newer group is already waiting, the rest of the current group and any older waiting groups are dropped
 * and reading resumes at the newest keyframe. A frame that is not valid legacy framing is counted and the
 * rest of its group is skipped (its delta frames would not decode anyway).
 */
import type * as Moq from "@moq/net";
import { TRACKS } from "../../../shared/media/catalog.ts";
import { decodeLegacyFrame, type TimedFrame } from "../../../shared/media/container.ts";
import type { LagMeter } from "./meters.ts";
import { LIVE_EDGE_US } from "./video-painter.ts";

/** Where a {@link VideoTrackReader} delivers. */
export interface VideoTrackSink {
  frame(frame: TimedFrame, key: boolean): void;
  /** Bytes received on the track (for the bitrate). */
  bytes(n: number): void;
  /** Frames discarded without decoding, and whether it was a live-edge skip (playback fell behind). */
  dropped(n: number, late: boolean): void;
  /** A frame that failed legacy-container decoding. */
  garbage(err: Error): void;
}

export class VideoTrackReader {
  readonly name: string;
  readonly #sub: Moq.Track.Subscriber;
  readonly #lag: LagMeter;
  #sink: VideoTrackSink | undefined;
  readonly #activated = Promise.withResolvers<void>();
  readonly #firstGroup = Promise.withResolvers<boolean>();
  #closed = false;

  /** Subscribes at once; frames flow to a sink only after {@link activate}. */
  constructor(broadcast: Moq.Broadcast.Consumer, name: string, lag: LagMeter) {
    this.name = name;
    this.#lag = lag;
    this.#sub = broadcast.subscribe(name, { priority: TRACKS.videoPriority });
    void this.#run();
  }

  /** Resolves true when the first group (a keyframe) is here, false if the track ended first. */
  get firstGroup(): Promise<boolean> {
    return this.#firstGroup.promise;
  }

  /** Start delivering to `sink`, from the first group. */
  activate(sink: VideoTrackSink): void {
    this.#sink = sink;
    this.#activated.resolve();
  }

  /** Unsubscribe. */
  close(): void {
    this.#closed = true;
    this.#firstGroup.resolve(false);
    this.#activated.resolve();
    this.#sub.close();
  }

  async #run(): Promise<void> {
    try {
      let group = await this.#sub.recvGroup();
      this.#firstGroup.resolve(group !== undefined);
      await this.#activated.promise;
      while (group !== undefined && !this.#closed) {
        group = (await this.#readGroup(group)) ?? (await this.#sub.recvGroup());
      }
    } catch {
      // The subscription was reset (peer gone, track removed): the catalog loop decides what follows.
    } finally {
      this.#firstGroup.resolve(false);
    }
  }

  /** Read one group; returns a newer group to jump to, or undefined when this one is done. */
  async #readGroup(group: Moq.Group.Consumer): Promise<Moq.Group.Consumer | undefined> {
    let read = 0;
    try {
      for (;;) {
        const f = await group.readFrameSequence();
        if (f === undefined || this.#closed) return undefined;
        read++;
        const sink = this.#sink!;
        sink.bytes(f.payload.byteLength);
        let frame: TimedFrame;
        try {
          frame = decodeLegacyFrame(f.payload);
        } catch (err) {
          sink.garbage(err as Error);
          sink.dropped(Math.max(0, group.frameCount - read), false);
          return undefined;
        }
        const lag = this.#lag.observe(Date.now() * 1000, frame.timestampUs);
        if (lag > LIVE_EDGE_US) {
          const newer = this.#newestWaiting();
          if (newer !== undefined) {
            sink.dropped(1 + Math.max(0, group.frameCount - read), true);
            return newer;
          }
        }
        sink.frame(frame, f.sequence === 0);
      }
    } finally {
      group.close();
    }
  }

  /** Take every group already waiting, keep the newest, count the rest as dropped. */
  #newestWaiting(): Moq.Group.Consumer | undefined {
    let newest: Moq.Group.Consumer | undefined;
    for (let g = this.#sub.tryRecvGroup(); g !== undefined; g = this.#sub.tryRecvGroup()) {
      if (newest !== undefined) {
        this.#sink?.dropped(newest.frameCount, true);
        newest.close();
      }
      newest = g;
    }
    return newest;
  }
}
