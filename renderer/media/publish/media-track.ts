/**
 * One media rendition on the wire: hang legacy frames (`varint(µs) ‖ bitstream`), a new group at every
 * keyframe, wall-clock timestamps kept strictly increasing.
 */
import * as Moq from "@moq/net";
import { encodeLegacyFrame } from "../../../shared/media/container.ts";

/** Writes encoded frames of one rendition and tells whether anyone wants them. */
export class MediaTrack {
  readonly track: Moq.Track.Producer;
  #group: Moq.Group.Producer | undefined;
  #lastUs = -1;

  constructor(track: Moq.Track.Producer) {
    this.track = track;
  }

  /** The track name, e.g. `video/h264-360p`. */
  get name(): string {
    return this.track.name;
  }

  /**
   * Append a frame; a keyframe starts a new group, and frames before the first keyframe are dropped
   * (nobody could decode them). Returns the timestamp written, which is at least 1 µs after the last.
   */
  write(timestampUs: number, payload: Uint8Array, keyframe: boolean): number | undefined {
    if (keyframe) {
      this.#group?.close();
      this.#group = this.track.appendGroup();
    }
    if (this.#group === undefined) return undefined;
    const ts = Math.max(Math.floor(timestampUs), this.#lastUs + 1);
    this.#lastUs = ts;
    this.#group.writeFrame({ payload: encodeLegacyFrame(ts, payload), timestamp: Moq.Time.Timestamp.fromMicros(ts) });
    return ts;
  }

  /**
   * Close the current group (the encoder paused). A closed group ages out of moq's cache, so a
   * subscriber arriving later starts at the next keyframe instead of replaying stale frames.
   */
  pause(): void {
    this.#group?.close();
    this.#group = undefined;
  }

  /** End the rendition. */
  close(): void {
    this.pause();
    this.track.close();
  }
}
