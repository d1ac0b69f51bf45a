/** What the publishing side reports for the stats overlay, and the meter behind its rates. */

/** One rendition's encoder, as seen from the publishing side. */
export interface RenditionStats {
  /** Track name, e.g. `video/h264-720p`. */
  track: string;
  kind: "video" | "audio";
  /** WebCodecs codec string. */
  codec: string;
  width?: number;
  height?: number;
  /** Whether the encoder runs (someone subscribes to this rendition). */
  encoding: boolean;
  /** Encoded frames per second over the last two seconds. */
  fps: number;
  /** Encoded bits per second over the last two seconds. */
  bitrate: number;
  /** Totals since the rendition was added. */
  frames: number;
  keyframes: number;
  /** Frames skipped because the encoder was behind (or the input did not fit its config). */
  dropped: number;
}

/** The two broadcasts a participant publishes. */
export type BroadcastName = "camera" | "screen";

/** One published broadcast. */
export interface BroadcastStats {
  name: BroadcastName;
  renditions: RenditionStats[];
}

/** The whole publishing side. */
export interface PublishStats {
  broadcasts: BroadcastStats[];
}

const WINDOW_MS = 2000;

/** Frames and bytes over a sliding window. */
export class RateMeter {
  readonly #events: { at: number; bytes: number }[] = [];
  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Count one frame of `bytes`. */
  add(bytes: number): void {
    this.#events.push({ at: this.#now(), bytes });
    this.#trim();
  }

  /** Frames per second. */
  fps(): number {
    this.#trim();
    return (this.#events.length * 1000) / WINDOW_MS;
  }

  /** Bits per second. */
  bitrate(): number {
    this.#trim();
    return Math.round((this.#events.reduce((n, e) => n + e.bytes, 0) * 8 * 1000) / WINDOW_MS);
  }

  #trim(): void {
    const cutoff = this.#now() - WINDOW_MS;
    let drop = 0;
    while (drop < this.#events.length && this.#events[drop]!.at < cutoff) drop++;
    if (drop > 0) this.#events.splice(0, drop);
  }
}
