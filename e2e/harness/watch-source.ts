/// <reference lib="dom" />
/**
 * The watch lab's own test broadcast (the publish engine is developed separately): a hang broadcast in
 * the page with a catalog, video renditions encoded from a canvas animation and Opus audio from a sine
 * tone, plus the faults the tests need — a rejected catalog, garbage frames, a network stall.
 */
import * as Moq from "@moq/net";
import { encodeCatalog, TRACKS, type AudioConfig, type Catalog, type VideoConfig } from "../../shared/media/catalog.ts";
import { encodeLegacyFrame } from "../../shared/media/container.ts";

/** One video rendition of the lab source. */
export interface LabRendition {
  name: string;
  codec: string;
  width: number;
  height: number;
}

const FPS = 30;
const KEY_EVERY = 15;
const RATE = 48_000;
const AUDIO_FRAME = 960; // 20 ms

/** What a stall held back on one track. */
export interface Held {
  frames: number;
  /** Frames older than the newest keyframe held: a player behind the live edge skips them undecoded. */
  beforeLastKey: number;
}

/** A track writer with a group per keyframe, able to hold frames back (a stall) and release them at once. */
class Writer {
  readonly track: Moq.Track.Producer;
  #group: Moq.Group.Producer | undefined;
  #held: { ts: number; payload: Uint8Array; key: boolean }[] | undefined;

  constructor(producer: Moq.Broadcast.Producer, name: string, priority: number) {
    this.track = producer.createTrack(name, { priority, latencyMax: 500, timescale: Moq.Time.Timescale.MICRO });
  }

  write(ts: number, payload: Uint8Array, key: boolean): void {
    if (this.#held !== undefined) return void this.#held.push({ ts, payload, key });
    if (key || this.#group === undefined) {
      this.#group?.close();
      this.#group = this.track.appendGroup();
    }
    this.#group.writeFrame({ payload: encodeLegacyFrame(ts, payload), timestamp: Moq.Time.Timestamp.fromMicros(ts) });
  }

  /** Write raw bytes (garbage) as the next frame. */
  writeRaw(payload: Uint8Array, newGroup: boolean): void {
    if (newGroup || this.#group === undefined) {
      this.#group?.close();
      this.#group = this.track.appendGroup();
    }
    this.#group.writeFrame({ payload, timestamp: Moq.Time.Timestamp.fromMicros(Date.now() * 1000) });
  }

  hold(): void {
    this.#held ??= [];
  }

  /** Write the held frames; says how many there were and how many came before the last keyframe. */
  release(): Held {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const f of held) this.write(f.ts, f.payload, f.key);
    return { frames: held.length, beforeLastKey: Math.max(0, held.findLastIndex((f) => f.key)) };
  }

  close(): void {
    this.#group?.close();
    this.track.close();
  }
}

/** The lab broadcast. */
export class LabSource {
  readonly producer = new Moq.Broadcast.Producer();
  readonly #catalogTrack = this.producer.createTrack(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  #catalogGroup: Moq.Group.Producer | undefined;
  readonly #video = new Map<string, { writer: Writer; encoder: VideoEncoder; canvas: OffscreenCanvas; config: VideoConfig }>();
  #audio: { writer: Writer; encoder: AudioEncoder; config: AudioConfig } | undefined;
  #videoListed = true;
  #audioListed = true;
  #frame = 0;
  #forceKey = false;
  #samples = 0;
  #audioStartUs = 0;
  /** Added to every audio timestamp written from now on (see {@link audioJump}). */
  #audioJumpUs = 0;
  readonly #timers: ReturnType<typeof setInterval>[] = [];

  constructor(renditions: LabRendition[], audio: boolean) {
    for (const r of renditions) this.#addVideo(r);
    if (audio) this.#addAudio();
    this.publishCatalog();
    this.#timers.push(setInterval(() => this.#videoTick(), 1000 / FPS));
    if (audio) this.#timers.push(setInterval(() => this.#audioTick(), 10));
  }

  /** List (or stop listing) the audio/video sections; unlisted tracks stop being written. */
  setListed(kind: "audio" | "video", on: boolean): void {
    if (kind === "audio") this.#audioListed = on;
    else this.#videoListed = on;
    this.publishCatalog();
  }

  /** Write the catalog for the current listing. */
  publishCatalog(): void {
    const c: Catalog = {};
    if (this.#videoListed && this.#video.size > 0) c.video = { renditions: Object.fromEntries([...this.#video].map(([n, v]) => [n, v.config])) };
    if (this.#audioListed && this.#audio !== undefined) c.audio = { renditions: { "audio/opus": this.#audio.config } };
    this.#writeCatalog(encodeCatalog(c));
  }

  /** A catalog that fails validation (a rendition without a codec string). */
  publishBadCatalog(): void {
    this.#writeCatalog(new TextEncoder().encode(JSON.stringify({ video: { renditions: { "video/x": { codec: 5 } } } })));
  }

  /** Garbage on every video track: "container" = not legacy framing; "bitstream" = a keyframe group of junk. */
  injectGarbage(kind: "container" | "bitstream"): void {
    for (const v of this.#video.values()) {
      if (kind === "container") v.writer.writeRaw(new Uint8Array([0xff]), false); // an 8-byte varint cut short
      else v.writer.writeRaw(encodeLegacyFrame(Date.now() * 1000, crypto.getRandomValues(new Uint8Array(2000))), true);
    }
    this.#forceKey = true;
  }

  /**
   * Stamp audio `ms` later from now on, the sound itself running on: what a sender whose capture dropped
   * audio publishes (its timestamps skip the lost span).
   */
  audioJump(ms: number): void {
    this.#audioJumpUs += ms * 1000;
  }

  /**
   * Hold every track's frames for `ms`, then release them in one burst (a network stall). Resolves with
   * what was held of each video rendition.
   */
  stall(ms: number): Promise<Record<string, Held>> {
    const video = [...this.#video.entries()];
    for (const [, v] of video) v.writer.hold();
    this.#audio?.writer.hold();
    return new Promise((resolve) =>
      setTimeout(() => {
        const held = Object.fromEntries(video.map(([name, v]) => [name, v.writer.release()]));
        this.#audio?.writer.release();
        resolve(held);
      }, ms),
    );
  }

  close(): void {
    for (const t of this.#timers) clearInterval(t);
    for (const v of this.#video.values()) {
      v.encoder.close();
      v.writer.close();
    }
    if (this.#audio) {
      this.#audio.encoder.close();
      this.#audio.writer.close();
    }
    this.#catalogGroup?.close();
    this.#catalogTrack.close();
    this.producer.close();
  }

  #writeCatalog(bytes: Uint8Array): void {
    const g = this.#catalogTrack.appendGroup();
    g.writeFrame({ payload: bytes, timestamp: Moq.Time.Timestamp.fromMicros(Date.now() * 1000) });
    this.#catalogGroup?.close();
    this.#catalogGroup = g;
  }

  #addVideo(r: LabRendition): void {
    const writer = new Writer(this.producer, r.name, TRACKS.videoPriority);
    const h264 = r.codec.startsWith("avc");
    const encoder = new VideoEncoder({
      output: (chunk) => {
        const buf = new Uint8Array(chunk.byteLength);
        chunk.copyTo(buf);
        if (this.#videoListed) writer.write(chunk.timestamp, buf, chunk.type === "key");
      },
      error: (e) => console.error("lab video encoder", e),
    });
    encoder.configure({
      codec: h264 ? r.codec.replace("avc3", "avc1") : r.codec,
      width: r.width,
      height: r.height,
      bitrate: 500_000,
      framerate: FPS,
      latencyMode: "realtime",
      ...(h264 ? { avc: { format: "annexb" as const } } : {}),
    });
    const config: VideoConfig = { codec: r.codec, container: { kind: "legacy" }, codedWidth: r.width, codedHeight: r.height, framerate: FPS, bitrate: 500_000 };
    this.#video.set(r.name, { writer, encoder, canvas: new OffscreenCanvas(r.width, r.height), config });
  }

  #videoTick(): void {
    const n = this.#frame++;
    const key = n % KEY_EVERY === 0 || this.#forceKey;
    this.#forceKey = false;
    const ts = Date.now() * 1000;
    for (const v of this.#video.values()) {
      const { width: w, height: h } = v.canvas;
      const g = v.canvas.getContext("2d")!;
      g.fillStyle = `hsl(${(n * 7) % 360} 70% 45%)`;
      g.fillRect(0, 0, w, h);
      g.fillStyle = "#fff";
      g.fillRect(((n * 8) % (w + 60)) - 60, h / 4, 60, h / 2);
      if (v.encoder.encodeQueueSize > 4) continue; // the machine is busy; skip rather than queue
      const frame = new VideoFrame(v.canvas, { timestamp: ts });
      v.encoder.encode(frame, { keyFrame: key });
      frame.close();
    }
  }

  #addAudio(): void {
    const writer = new Writer(this.producer, "audio/opus", TRACKS.audioPriority);
    let count = 0;
    const encoder = new AudioEncoder({
      output: (chunk) => {
        const buf = new Uint8Array(chunk.byteLength);
        chunk.copyTo(buf);
        if (this.#audioListed) writer.write(chunk.timestamp + this.#audioJumpUs, buf, count++ % 10 === 0);
      },
      error: (e) => console.error("lab audio encoder", e),
    });
    encoder.configure({ codec: "opus", sampleRate: RATE, numberOfChannels: 1, bitrate: 32_000 });
    this.#audio = { writer, encoder, config: { codec: "opus", container: { kind: "legacy" }, sampleRate: RATE, numberOfChannels: 1, bitrate: 32_000 } };
  }

  /** Feed the encoder a 440 Hz tone in 20 ms frames, as much as wall-clock time says is due. */
  #audioTick(): void {
    const nowUs = Date.now() * 1000;
    if (this.#audioStartUs === 0) this.#audioStartUs = nowUs;
    while (((this.#samples + AUDIO_FRAME) * 1e6) / RATE <= nowUs - this.#audioStartUs) {
      const pcm = new Float32Array(AUDIO_FRAME);
      for (let i = 0; i < AUDIO_FRAME; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * 440 * (this.#samples + i)) / RATE);
      const timestamp = this.#audioStartUs + Math.round((this.#samples * 1e6) / RATE);
      const data = new AudioData({ format: "f32-planar", sampleRate: RATE, numberOfFrames: AUDIO_FRAME, numberOfChannels: 1, timestamp, data: pcm });
      this.#audio!.encoder.encode(data);
      data.close();
      this.#samples += AUDIO_FRAME;
    }
  }
}
