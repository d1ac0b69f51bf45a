/**
 * Plays one audio rendition: track → legacy frames → AudioDecoder → PCM handed to a playback worklet node
 * on the shared AudioContext (through shared memory where the page allows it, pcm-ring.ts; else posted).
 * The worklet's reports give the audio clock (which capture instant is being heard now) that video is
 * synchronised to, and the jitter-buffer figures for the stats.
 */
import type * as Moq from "@moq/net";
import { TRACKS, type AudioConfig } from "../../../shared/media/catalog.ts";
import { decodeLegacyFrame } from "../../../shared/media/container.ts";
import type { AudioOutput } from "./audio-output.ts";
import { audioDecoderConfig } from "./codec-config.ts";
import { LevelMeter } from "./meters.ts";
import { createPcmRing, PcmRingWriter } from "./pcm-ring.ts";
import type { PcmMessage, PlaybackOptions, PlaybackReport } from "./playback-worklet.ts";
import { resampleLinear } from "./resample.ts";

/** Jitter buffer: start playing at 50 ms buffered, skip to the live edge above 150 ms. */
const JITTER: Omit<PlaybackOptions, "channels"> = { targetMs: 50, maxMs: 150 };
/** Packets awaiting their decoded output, at most: a second of 20 ms packets (far more than a decoder holds). */
const MAX_PENDING_INPUTS = 50;
/** A worklet report older than this means the node is not running (context suspended). */
const REPORT_STALE_S = 0.25;

/** Hooks of {@link AudioTrackPlayer}. */
export interface AudioTrackProps {
  bytes(n: number): void;
  garbage(err: Error): void;
  decoderError(err: Error): void;
  /** The first PCM reached the worklet. */
  started(): void;
}

export class AudioTrackPlayer {
  readonly name: string;
  readonly #output: AudioOutput;
  readonly #sub: Moq.Track.Subscriber;
  readonly #props: AudioTrackProps;
  readonly #config: AudioConfig;
  readonly #level = new LevelMeter();
  #node: AudioWorkletNode | undefined;
  #ring: PcmRingWriter | undefined;
  /** Reused decode buffers when PCM goes through the ring (copied there); posted planes are transferred instead. */
  #scratch: Float32Array[] = [];
  #decoder: AudioDecoder | undefined;
  /**
   * Capture timestamps of the packets given to the decoder, oldest first: each output takes the next.
   * Chromium's AudioDecoder stamps its outputs as `first input timestamp + samples decoded`, ignoring gaps
   * between inputs (as its encoder does: publish/sample-timeline.ts), and a sender whose capture dropped
   * audio leaves gaps; the outputs' own timestamps then fall behind for good (measured in bench app-media:
   * the sound being heard rated 200–750 ms old with 20 ms packets arriving and 40–100 ms buffered), and the
   * audio clock that video follows with them. Opus gives one output per packet; should a decoder ever give
   * fewer, the list is kept to MAX_PENDING_INPUTS.
   */
  #inputs: number[] = [];
  #report: PlaybackReport | undefined;
  #decoded = 0;
  #closed = false;

  /** Subscribe and start playing; `config` must be supported (see codec-config.ts). */
  constructor(broadcast: Moq.Broadcast.Consumer, name: string, config: AudioConfig, output: AudioOutput, props: AudioTrackProps) {
    this.name = name;
    this.#output = output;
    this.#props = props;
    this.#config = config;
    this.#sub = broadcast.subscribe(name, { priority: TRACKS.audioPriority });
    void this.#run();
  }

  /** Capture time (µs since the epoch) being heard now, or undefined when audio is not playing. */
  clockUs(): number | undefined {
    const r = this.#report;
    const ctx = this.#output.context;
    if (r === undefined || !r.playing || r.headUs === undefined || ctx.state !== "running") return undefined;
    const since = ctx.currentTime - r.contextTime;
    if (since > REPORT_STALE_S) return undefined;
    const latency = ctx.outputLatency > 0 ? ctx.outputLatency : ctx.baseLatency;
    return r.headUs + (since - latency) * 1e6;
  }

  /** Level 0..1 of the decoded audio. */
  level(): number {
    return this.#level.level(performance.now());
  }

  /** The last worklet report (depth, underruns, output peak). */
  get report(): PlaybackReport | undefined {
    return this.#report;
  }

  /** AudioData outputs so far. */
  get decoded(): number {
    return this.#decoded;
  }

  /** Stop: unsubscribe, release the decoder and the worklet node. */
  close(): void {
    this.#closed = true;
    this.#sub.close();
    if (this.#decoder !== undefined && this.#decoder.state !== "closed") this.#decoder.close();
    this.#node?.disconnect();
    this.#node?.port.close();
  }

  async #run(): Promise<void> {
    try {
      await this.#output.ready;
      if (this.#closed) return;
      const ring = createPcmRing(this.#config.numberOfChannels);
      const node = new AudioWorkletNode(this.#output.context, "live-rooms-playback", {
        numberOfInputs: 0,
        numberOfOutputs: 1,
        outputChannelCount: [2],
        processorOptions: { ...JITTER, channels: this.#config.numberOfChannels, ...(ring !== undefined && { ring }) } satisfies PlaybackOptions,
      });
      this.#ring = ring === undefined ? undefined : new PcmRingWriter(ring);
      node.port.onmessage = (e: MessageEvent<PlaybackReport>) => (this.#report = e.data);
      node.connect(this.#output.context.destination);
      this.#node = node;
      for (let group = await this.#sub.recvGroup(); group !== undefined && !this.#closed; group = await this.#sub.recvGroup()) {
        for (let f = await group.readFrame(); f !== undefined && !this.#closed; f = await group.readFrame()) this.#frame(f.payload);
        group.close();
      }
    } catch (err) {
      if (!this.#closed) this.#props.decoderError(err as Error);
    }
  }

  #frame(payload: Uint8Array): void {
    this.#props.bytes(payload.byteLength);
    let frame;
    try {
      frame = decodeLegacyFrame(payload);
    } catch (err) {
      return this.#props.garbage(err as Error);
    }
    const decoder = this.#ensureDecoder();
    try {
      decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: frame.timestampUs, data: frame.payload }));
      if (this.#inputs.push(frame.timestampUs) > MAX_PENDING_INPUTS) this.#inputs.shift();
    } catch (err) {
      this.#failed(decoder, err as Error);
    }
  }

  #ensureDecoder(): AudioDecoder {
    if (this.#decoder !== undefined && this.#decoder.state === "configured") return this.#decoder;
    const decoder: AudioDecoder = new AudioDecoder({ output: (d) => this.#pcm(d), error: (e) => this.#failed(decoder, e) });
    decoder.configure(audioDecoderConfig(this.#config));
    this.#decoder = decoder;
    this.#inputs = [];
    return decoder;
  }

  /** A bad packet closes an AudioDecoder; the next frame builds a fresh one (Opus frames are all keyframes). */
  #failed(decoder: AudioDecoder, err: Error): void {
    if (decoder.state !== "closed") decoder.close();
    if (this.#decoder === decoder) this.#decoder = undefined;
    if (!this.#closed) this.#props.decoderError(err);
  }

  /** A buffer for channel `c` of a decoded chunk: reused with the ring, fresh when it will be transferred. */
  #plane(c: number, frames: number): Float32Array {
    if (this.#ring === undefined) return new Float32Array(frames);
    const s = this.#scratch[c];
    if (s !== undefined && s.length >= frames) return s.subarray(0, frames);
    return (this.#scratch[c] = new Float32Array(frames));
  }

  #pcm(data: AudioData): void {
    try {
      const timestampUs = this.#inputs.shift() ?? data.timestamp;
      if (this.#closed || this.#node === undefined) return;
      const rate = this.#output.context.sampleRate;
      const planes: Float32Array[] = [];
      for (let c = 0; c < data.numberOfChannels; c++) {
        const plane = this.#plane(c, data.numberOfFrames);
        data.copyTo(plane, { planeIndex: c, format: "f32-planar" });
        planes.push(data.sampleRate === rate ? plane : resampleLinear(plane, data.sampleRate, rate));
      }
      this.#level.add(performance.now(), planes);
      if (this.#ring !== undefined) {
        // False only while the worklet does not run (suspended context): that audio would be stale.
        this.#ring.write(timestampUs, planes, rate);
      } else {
        const msg: PcmMessage = { type: "pcm", timestampUs, planes };
        this.#node.port.postMessage(msg, planes.map((p) => p.buffer));
      }
      if (this.#decoded++ === 0) this.#props.started();
    } finally {
      data.close();
    }
  }
}
