/**
 * The Opus rendition: an AudioEncoder that exists only while `audio/opus` has subscribers.
 *
 * Every Opus packet is its own group. Opus packets decode independently, so a group per packet costs no
 * compression; it means no head-of-line blocking (one late packet never holds back the next) and a late
 * subscriber starts at the newest packet instead of up to a second behind. The price is ~50 streams a
 * second per subscriber, which qmux opens cheaply (moq-in-node.md §4: 2–5 ms p50 for exactly this
 * pattern), and it matches what main's test source publishes.
 */
import type { AudioConfig } from "../../../shared/media/catalog.ts";
import type { CaptureClock } from "./clock.ts";
import { whileUsed } from "./demand.ts";
import type { FrameSink } from "./frame-source.ts";
import type { MediaTrack } from "./media-track.ts";
import { SampleTimeline } from "./sample-timeline.ts";
import { RateMeter, type RenditionStats } from "./stats.ts";

/** Track name of the audio rendition. */
export const AUDIO_TRACK = "audio/opus";
/** 20 ms packets: Opus's sweet spot between overhead and latency. */
const FRAME_DURATION_US = 20_000;
/** Bits per second per channel: speech-grade Opus. */
const BITRATE_PER_CHANNEL = 32_000;
const MAX_QUEUE = 5;
const MAX_FAILURES = 3;

/** The catalog entry for a capture's sample rate and channel count. */
export function audioCatalogConfig(sampleRate: number, numberOfChannels: number): AudioConfig {
  return { codec: "opus", container: { kind: "legacy" }, sampleRate, numberOfChannels, bitrate: BITRATE_PER_CHANNEL * numberOfChannels };
}

/** The encoder config for a catalog entry; `frameDuration` only where the browser supports it. */
export async function opusEncoderConfig(c: AudioConfig): Promise<AudioEncoderConfig> {
  const base: AudioEncoderConfig = { codec: "opus", sampleRate: c.sampleRate, numberOfChannels: c.numberOfChannels, bitrate: c.bitrate ?? BITRATE_PER_CHANNEL };
  const withDuration: AudioEncoderConfig = { ...base, opus: { frameDuration: FRAME_DURATION_US } };
  const support = await AudioEncoder.isConfigSupported(withDuration).catch(() => ({ supported: false }));
  return support.supported === true ? withDuration : base;
}

/** What the audio rendition needs. */
export interface AudioRenditionInit {
  config: AudioConfig;
  encoderConfig: AudioEncoderConfig;
  track: MediaTrack;
  clock: CaptureClock;
  onError: (err: Error) => void;
}

/** Encodes captured audio into `audio/opus` while it is subscribed. */
export class AudioRendition implements FrameSink<AudioData> {
  readonly #init: AudioRenditionInit;
  readonly #meter = new RateMeter();
  readonly #stopWatching: () => void;
  #encoder: AudioEncoder | undefined;
  #timeline: SampleTimeline | undefined;
  #running = false;
  #failures = 0;
  #frames = 0;
  #dropped = 0;

  constructor(init: AudioRenditionInit) {
    this.#init = init;
    this.#stopWatching = whileUsed(init.track.track, { start: () => this.#start(), stop: () => this.#stop() });
  }

  /** Encode captured audio if subscribed (the caller closes it). Audio that does not fit the config is dropped. */
  push(data: AudioData): void {
    if (!this.#running) return;
    const { sampleRate, numberOfChannels } = this.#init.encoderConfig;
    if (data.sampleRate !== sampleRate || data.numberOfChannels !== numberOfChannels) {
      this.#dropped++;
      return;
    }
    const encoder = this.#encoder ?? this.#open();
    if (encoder === undefined) return;
    if (encoder.encodeQueueSize > MAX_QUEUE) {
      this.#dropped++;
      return;
    }
    this.#timeline?.add(data.timestamp, data.numberOfFrames);
    encoder.encode(data);
  }

  /** Start over with a fresh encoder and timeline (the microphone changed; its timestamps run on another clock). */
  restart(): void {
    this.#release();
  }

  /** The encoder's figures. */
  stats(): RenditionStats {
    return {
      track: this.#init.track.name,
      kind: "audio",
      codec: this.#init.config.codec,
      encoding: this.#encoder !== undefined,
      fps: this.#meter.fps(),
      bitrate: this.#meter.bitrate(),
      frames: this.#frames,
      keyframes: this.#frames,
      dropped: this.#dropped,
    };
  }

  /** Stop for good (the rendition is being removed). */
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

  #open(): AudioEncoder | undefined {
    if (this.#failures >= MAX_FAILURES) return undefined;
    const encoder = new AudioEncoder({
      output: (chunk) => this.#output(encoder, chunk),
      error: (err) => this.#fail(encoder, err),
    });
    encoder.configure(this.#init.encoderConfig);
    this.#encoder = encoder;
    this.#timeline = new SampleTimeline(this.#init.encoderConfig.sampleRate);
    return encoder;
  }

  #output(encoder: AudioEncoder, chunk: EncodedAudioChunk): void {
    if (encoder !== this.#encoder) return;
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const captured = this.#timeline?.at(chunk.timestamp) ?? chunk.timestamp;
    this.#init.track.write(this.#init.clock.toWall(captured), data, true);
    this.#frames++;
    this.#meter.add(data.byteLength);
  }

  #fail(encoder: AudioEncoder, err: DOMException): void {
    if (encoder !== this.#encoder) return;
    this.#failures++;
    this.#release();
    this.#init.onError(new Error(`${this.#init.track.name} encoder failed: ${err.message}`));
  }

  #release(): void {
    const encoder = this.#encoder;
    this.#encoder = undefined;
    if (encoder !== undefined && encoder.state !== "closed") encoder.close();
  }
}
