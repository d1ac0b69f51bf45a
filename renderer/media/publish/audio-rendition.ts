/**
 * The Opus rendition: an AudioEncoder that exists only while `audio/opus` has subscribers.
 *
 * Ten Opus packets (200 ms) per group. Opus packets decode independently, so any packet may start a group;
 * a late subscriber starts at most 200 ms behind, which its jitter buffer drops at once (it keeps at most
 * 150 ms). One group per packet was tried first: it avoids head-of-line blocking only where streams are
 * independent (QUIC), while our links all run over one ordered byte stream (TCP, a WebSocket, a
 * MessagePort), and every group is a stream to open and close at every hop: 50 a second cost about 12 % of
 * a core per peer in a two-person call against five packets per group (bench app-media: 85 → 74 % per
 * peer), and ten rather than five saved the core another ~1 % (12.9 → 11.7 % per peer).
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
/** Opus packets per group (200 ms): see the module comment. */
export const PACKETS_PER_GROUP = 10;
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
  /** Packets written into the current group. */
  #inGroup = 0;
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
    this.#inGroup = 0;
    this.#timeline = new SampleTimeline(this.#init.encoderConfig.sampleRate);
    return encoder;
  }

  #output(encoder: AudioEncoder, chunk: EncodedAudioChunk): void {
    if (encoder !== this.#encoder) return;
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const captured = this.#timeline?.at(chunk.timestamp) ?? chunk.timestamp;
    // The first packet from a fresh encoder starts a group too (the track's group was closed with the old one).
    this.#init.track.write(this.#init.clock.toWall(captured), data, this.#inGroup === 0);
    this.#inGroup = (this.#inGroup + 1) % PACKETS_PER_GROUP;
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
