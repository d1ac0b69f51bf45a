/**
 * The video half of a remote player: picks a rendition for the tile size (lower while playback keeps
 * falling behind), switches at a keyframe without a gap, decodes and paints. Switching subscribes the new
 * track, keeps showing the old one until the new track's first group (a keyframe) is here, then moves
 * the decoder over and unsubscribes the old track.
 */
import type * as Moq from "@moq/net";
import { LagMeter } from "./meters.ts";
import { videoDecoderConfig, videoSupported } from "./codec-config.ts";
import { chooseRendition, rankRenditions, RenditionGovernor, type Rendition } from "./rendition.ts";
import { VideoDecode } from "./video-decode.ts";
import { presentationClockUs } from "./lip-sync.ts";
import { VideoPainter } from "./video-painter.ts";
import type { VideoSurface } from "./video-surface.ts";
import { VideoTrackReader, type VideoTrackSink } from "./video-track.ts";

/** What the pipeline reports to its player. */
export interface VideoPipelineEvents {
  /** A rendition started decoding (its first frame came out of the decoder). */
  playing(rendition: Rendition, width: number, height: number): void;
  unsupported(codecs: string[]): void;
  decoded(frame: VideoFrame): void;
  painted(frame: VideoFrame): void;
  dropped(n: number): void;
  /** The reader jumped to a newer keyframe because playback fell behind. */
  skippedToLive(): void;
  bytes(n: number): void;
  garbage(err: Error): void;
  decoderError(err: Error): void;
}

/** The video pipeline; see the module comment. */
export class VideoPipeline {
  readonly #broadcast: Moq.Broadcast.Consumer;
  readonly #events: VideoPipelineEvents;
  readonly #lag = new LagMeter();
  readonly #governor = new RenditionGovernor();
  readonly #decode: VideoDecode;
  readonly #painter: VideoPainter;
  #renditions: Rendition[] = [];
  #viewport = { width: 0, height: 0 };
  #current: { reader: VideoTrackReader; rendition: Rendition } | undefined;
  #pending: { reader: VideoTrackReader; rendition: Rendition } | undefined;
  #announced: string | undefined;
  #version = 0;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(broadcast: Moq.Broadcast.Consumer, clockUs: () => number | undefined, events: VideoPipelineEvents) {
    this.#broadcast = broadcast;
    this.#events = events;
    this.#decode = new VideoDecode({ onFrame: (f) => this.#decoded(f), onError: (e) => events.decoderError(e) });
    this.#painter = new VideoPainter({
      // The live edge: frames as soon as they are as old as the usual transit time; held for the sound by
      // the lip-sync policy (lip-sync.ts).
      clockUs: () => presentationClockUs(Date.now() * 1000 - this.#lag.floorUs(), clockUs()),
      onPaint: (f) => events.painted(f),
      onDrop: (n) => events.dropped(n),
    });
    this.#timer = setInterval(() => {
      if (this.#governor.tick(performance.now(), this.#renditions.length)) this.#choose();
    }, 1_000);
  }

  /** The rendition being shown, if any. */
  get rendition(): Rendition | undefined {
    return this.#current?.rendition;
  }

  /** Frames decoded and waiting to be painted. */
  get queued(): number {
    return this.#painter.depth + this.#decode.queueSize;
  }

  /** Show frames on this surface (or none). */
  attach(surface: VideoSurface | undefined): void {
    this.#painter.attach(surface);
  }

  /** The tile's size in device pixels; may switch rendition. */
  setViewportSize(width: number, height: number): void {
    this.#viewport = { width, height };
    this.#choose();
  }

  /** A new catalog's video renditions (empty = camera off). */
  async setRenditions(all: Rendition[]): Promise<void> {
    const version = ++this.#version;
    const ok = await Promise.all(all.map((r) => videoSupported(r.config)));
    if (version !== this.#version) return;
    this.#renditions = rankRenditions(all.filter((_, i) => ok[i]));
    if (all.length > 0 && this.#renditions.length === 0) {
      this.#stop();
      this.#events.unsupported([...new Set(all.map((r) => r.config.codec))]);
      return;
    }
    this.#choose();
  }

  /** Stop everything. */
  close(): void {
    ++this.#version;
    clearInterval(this.#timer);
    this.#stop();
    this.#decode.close();
    this.#painter.close();
  }

  #stop(): void {
    this.#pending?.reader.close();
    this.#pending = undefined;
    this.#current?.reader.close();
    this.#current = undefined;
    this.#announced = undefined;
    this.#painter.clear();
  }

  #choose(): void {
    const want = chooseRendition(this.#renditions, this.#viewport.width, this.#viewport.height, this.#governor.cap);
    if (want === undefined) return this.#stop();
    const same = (r: Rendition | undefined): boolean => r !== undefined && r.name === want.name && JSON.stringify(r.config) === JSON.stringify(want.config);
    if (same(this.#pending?.rendition)) return;
    this.#pending?.reader.close();
    this.#pending = undefined;
    if (same(this.#current?.rendition)) return;
    const next = { reader: new VideoTrackReader(this.#broadcast, want.name, this.#lag), rendition: want };
    this.#pending = next;
    void next.reader.firstGroup.then((arrived) => {
      if (!arrived || this.#pending !== next) return;
      this.#pending = undefined;
      this.#current?.reader.close();
      this.#current = next;
      this.#announced = undefined;
      this.#decode.configure(videoDecoderConfig(want.config));
      next.reader.activate(this.#sink(next.reader));
    });
  }

  #sink(reader: VideoTrackReader): VideoTrackSink {
    const live = (): boolean => this.#current?.reader === reader;
    return {
      frame: (f, key) => {
        if (!live()) return;
        if (!this.#decode.decode(f, key)) this.#events.dropped(1);
      },
      bytes: (n) => this.#events.bytes(n),
      dropped: (n, late) => {
        if (n > 0) this.#events.dropped(n);
        if (late && live()) {
          this.#events.skippedToLive();
          this.#late();
        }
      },
      garbage: (err) => {
        this.#decode.waitForKey();
        this.#events.garbage(err);
      },
    };
  }

  #late(): void {
    const index = this.#renditions.findIndex((r) => r.name === this.#current?.rendition.name);
    if (this.#governor.late(performance.now(), index)) this.#choose();
  }

  #decoded(frame: VideoFrame): void {
    this.#events.decoded(frame);
    const cur = this.#current;
    if (cur !== undefined && this.#announced !== cur.rendition.name) {
      this.#announced = cur.rendition.name;
      this.#events.playing(cur.rendition, frame.displayWidth, frame.displayHeight);
    }
    this.#painter.push(frame);
  }
}
