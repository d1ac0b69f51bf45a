/**
 * One video rendition: a VideoEncoder that exists only while the rendition has subscribers, fed from the
 * shared capture. Frames of another size are scaled by the encoder itself (Chromium's software encoders
 * scale with libyuv), so the 360p rendition costs no canvas copy.
 */
import type { VideoConfig } from "../../../shared/media/catalog.ts";
import type { CaptureClock } from "./clock.ts";
import { codecString, encoderConfig, type VideoCodecKind } from "./codec.ts";
import { whileUsed } from "./demand.ts";
import type { FrameSink } from "./frame-source.ts";
import type { MediaTrack } from "./media-track.ts";
import type { RenditionPlan } from "./renditions.ts";
import { RateMeter, type RenditionStats } from "./stats.ts";

/** Longest gap between keyframes, in media microseconds: a late subscriber waits at most this long. */
export const KEYFRAME_INTERVAL_US = 2_000_000;
/** Frames queued in the encoder beyond this are skipped: in real time a late frame is worth less than a fresh one. */
const MAX_QUEUE = 2;
/** An encoder that keeps failing is given up on rather than restarted forever. */
const MAX_FAILURES = 3;

/** What a video rendition needs. */
export interface VideoRenditionInit {
  codec: VideoCodecKind;
  plan: RenditionPlan;
  track: MediaTrack;
  /** The capture clock of the source feeding this rendition. */
  clock: CaptureClock;
  onError: (err: Error) => void;
}

/** The catalog entry of a rendition. */
export function videoCatalogConfig(codec: VideoCodecKind, plan: RenditionPlan): VideoConfig {
  return {
    codec: codecString(codec, plan.width, plan.height, plan.framerate),
    container: { kind: "legacy" },
    codedWidth: plan.width,
    codedHeight: plan.height,
    framerate: plan.framerate,
    bitrate: plan.bitrate,
    optimizeForLatency: true,
  };
}

/** Encodes captured frames into one rendition while it is subscribed. */
export class VideoRendition implements FrameSink<VideoFrame> {
  readonly #init: VideoRenditionInit;
  readonly #config: VideoEncoderConfig;
  readonly #meter = new RateMeter();
  readonly #stopWatching: () => void;
  #encoder: VideoEncoder | undefined;
  #running = false;
  #lastKeyUs = -Infinity;
  #forceKey = true;
  #failures = 0;
  #frames = 0;
  #keyframes = 0;
  #dropped = 0;

  constructor(init: VideoRenditionInit) {
    this.#init = init;
    this.#config = encoderConfig(init.codec, init.plan);
    this.#stopWatching = whileUsed(init.track.track, { start: () => this.#start(), stop: () => this.#stop() });
  }

  /** Encode a captured frame if the rendition is subscribed (the caller closes the frame). */
  push(frame: VideoFrame): void {
    if (!this.#running) return;
    const encoder = this.#encoder ?? this.#open();
    if (encoder === undefined) return;
    if (encoder.encodeQueueSize > MAX_QUEUE) {
      this.#dropped++;
      return;
    }
    const keyFrame = this.#forceKey || frame.timestamp - this.#lastKeyUs >= KEYFRAME_INTERVAL_US;
    if (keyFrame) {
      this.#forceKey = false;
      this.#lastKeyUs = frame.timestamp;
    }
    encoder.encode(frame, { keyFrame });
  }

  /** The capture switched devices: start with a keyframe, and give an encoder that gave up another chance. */
  sourceChanged(): void {
    this.#forceKey = true;
    this.#failures = 0;
  }

  /** The encoder's figures. */
  stats(): RenditionStats {
    const { width, height, codec } = this.#config;
    return {
      track: this.#init.track.name,
      kind: "video",
      codec,
      width,
      height,
      encoding: this.#encoder !== undefined,
      fps: this.#meter.fps(),
      bitrate: this.#meter.bitrate(),
      frames: this.#frames,
      keyframes: this.#keyframes,
      dropped: this.#dropped,
    };
  }

  /** Stop encoding for good (the rendition is being removed). */
  close(): void {
    this.#stopWatching();
  }

  #start(): void {
    this.#running = true;
    this.#failures = 0;
  }

  #stop(): void {
    this.#running = false;
    this.#release();
    this.#init.track.pause();
  }

  #open(): VideoEncoder | undefined {
    if (this.#failures >= MAX_FAILURES) return undefined;
    const encoder = new VideoEncoder({
      output: (chunk) => this.#output(encoder, chunk),
      error: (err) => this.#fail(encoder, err),
    });
    encoder.configure(this.#config);
    this.#encoder = encoder;
    this.#forceKey = true;
    return encoder;
  }

  #output(encoder: VideoEncoder, chunk: EncodedVideoChunk): void {
    if (encoder !== this.#encoder) return;
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const key = chunk.type === "key";
    if (this.#init.track.write(this.#init.clock.toWall(chunk.timestamp), data, key) === undefined) return;
    this.#frames++;
    if (key) this.#keyframes++;
    this.#meter.add(data.byteLength);
  }

  #fail(encoder: VideoEncoder, err: DOMException): void {
    if (encoder !== this.#encoder) return;
    this.#failures++;
    this.#release();
    // The next frame reopens the encoder (with a keyframe) until MAX_FAILURES.
    this.#init.onError(new Error(`${this.#init.track.name} encoder failed: ${err.message}`));
  }

  #release(): void {
    const encoder = this.#encoder;
    this.#encoder = undefined;
    if (encoder !== undefined && encoder.state !== "closed") encoder.close();
  }
}
