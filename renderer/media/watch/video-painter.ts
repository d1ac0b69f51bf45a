/**
 * Decoded frames → a surface (a video element or a canvas, see video-surface.ts), paced by the playback
 * clock. A timer wakes when the oldest queued frame falls due (its capture time reached by the clock, within
 * {@link SYNC_ALLOWANCE_US}); the newest due frame is shown and older ones are dropped. The queue never
 * holds more than {@link LIVE_EDGE_US} of video, so a stall or a slow clock skips to the live edge instead
 * of building up delay. Every frame dropped unseen is reported.
 *
 * A timer rather than a requestAnimationFrame loop: the painter has nothing to do between 15 fps frames,
 * and a video element surface is composited on its own schedule anyway.
 */

import type { VideoSurface } from "./video-surface.ts";

/** How early a frame may be drawn relative to the clock: about one display refresh. */
export const SYNC_ALLOWANCE_US = 20_000;
/** Most video queued before the oldest frames are dropped. */
export const LIVE_EDGE_US = 150_000;
/** Longest the painter sleeps before it looks at the clock again (the audio clock can move the due time). */
const MAX_SLEEP_MS = 40;

/** Hooks of {@link VideoPainter}. */
export interface VideoPainterProps {
  /** The capture time (µs since the epoch) being presented now. */
  clockUs(): number;
  onPaint(frame: VideoFrame): void;
  onDrop(count: number): void;
}

export class VideoPainter {
  readonly #props: VideoPainterProps;
  #queue: VideoFrame[] = [];
  #surface: VideoSurface | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(props: VideoPainterProps) {
    this.#props = props;
  }

  /** Show frames on `surface`, or nowhere with undefined (the previous surface is closed). */
  attach(surface: VideoSurface | undefined): void {
    if (surface !== this.#surface) this.#surface?.close();
    this.#surface = surface;
  }

  /** Frames waiting to be painted. */
  get depth(): number {
    return this.#queue.length;
  }

  /** Queue a decoded frame (the painter owns and closes it). */
  push(frame: VideoFrame): void {
    if (this.#closed) return frame.close();
    this.#queue.push(frame);
    this.#trimToLiveEdge();
    this.#schedule();
  }

  /** Drop every queued frame (a rendition switch or camera off), counting nothing: they were not late. */
  clear(): void {
    for (const f of this.#queue) f.close();
    this.#queue = [];
  }

  /** Stop painting and release frames. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.clear();
    this.attach(undefined);
  }

  /** Wake when the oldest queued frame is due (at most {@link MAX_SLEEP_MS} from now). */
  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    const oldest = this.#queue[0];
    if (oldest === undefined) return;
    const waitMs = (oldest.timestamp - this.#props.clockUs() - SYNC_ALLOWANCE_US) / 1000;
    this.#timer = setTimeout(this.#tick, Math.min(MAX_SLEEP_MS, Math.max(0, waitMs)));
  }

  readonly #tick = (): void => {
    this.#timer = undefined;
    if (this.#closed) return;
    this.#trimToLiveEdge();
    const due = this.#props.clockUs() + SYNC_ALLOWANCE_US;
    let pick = -1;
    for (let i = 0; i < this.#queue.length; i++) if (this.#queue[i]!.timestamp <= due) pick = i;
    if (pick >= 0) {
      const frame = this.#queue[pick]!;
      const stale = this.#queue.splice(0, pick + 1);
      stale.pop();
      for (const f of stale) f.close();
      if (stale.length > 0) this.#props.onDrop(stale.length);
      this.#draw(frame);
    }
    this.#schedule();
  };

  /** Show `frame` (the surface takes it over). */
  #draw(frame: VideoFrame): void {
    if (this.#surface === undefined) return frame.close();
    this.#props.onPaint(frame);
    this.#surface.draw(frame);
  }

  #trimToLiveEdge(): void {
    const newest = this.#queue[this.#queue.length - 1];
    if (newest === undefined) return;
    let n = 0;
    while (this.#queue.length > 1 && newest.timestamp - this.#queue[0]!.timestamp > LIVE_EDGE_US) {
      this.#queue.shift()!.close();
      n++;
    }
    if (n > 0) this.#props.onDrop(n);
  }
}
