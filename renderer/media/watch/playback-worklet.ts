/**
 * AudioWorklet processor "live-rooms-playback": plays PCM posted by one remote player through a
 * {@link JitterBuffer}. Bundled by Vite as its own file (audio-output.ts imports it with `?worker&url`), so
 * it loads under the app's `script-src 'self'` CSP without blob: or data: URLs.
 *
 * PCM comes in through shared memory when the page is cross-origin isolated (`ring` in the options:
 * pcm-ring.ts, drained at every render quantum), otherwise as port messages `{ type: "pcm", timestampUs,
 * planes }` (planes transferred). Out through the port, every ~50 ms: {@link PlaybackReport}.
 */
import { JitterBuffer } from "./jitter-buffer.ts";
import { PcmRingReader, type PcmRingBuffers } from "./pcm-ring.ts";

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib; these are the members used here.
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new (options: { processorOptions: PlaybackOptions }) => AudioWorkletProcessor): void;

/** `processorOptions` of the node. */
export interface PlaybackOptions {
  channels: number;
  targetMs: number;
  maxMs: number;
  /** The shared queue the player writes into, where the page can share memory. */
  ring?: PcmRingBuffers;
}

/** A chunk of decoded audio for the worklet. */
export interface PcmMessage {
  type: "pcm";
  timestampUs: number;
  planes: Float32Array[];
}

/** What the worklet reports back. */
export interface PlaybackReport {
  /** Context time of the report. */
  contextTime: number;
  /** Whether the buffer is feeding output (false while prebuffering after start or an underrun). */
  playing: boolean;
  /** Capture timestamp of the next sample to play, if any is buffered. */
  headUs: number | undefined;
  depthMs: number;
  /** The depth the buffer aims for now (it follows the network's jitter). */
  targetMs: number;
  underruns: number;
  droppedMs: number;
  /** Substitute sound played in underruns (concealment.ts). */
  concealedMs: number;
  /** Peak of the samples output since the last report (proves the node outputs sound). */
  outputPeak: number;
}

const REPORT_EVERY_QUANTA = 18; // 18 × 128 samples ≈ 48 ms at 48 kHz

class PlaybackProcessor extends AudioWorkletProcessor {
  readonly #buffer: JitterBuffer;
  readonly #ring: PcmRingReader | undefined;
  #quanta = 0;
  #peak = 0;

  constructor(options: { processorOptions: PlaybackOptions }) {
    super();
    const { channels, targetMs, maxMs, ring } = options.processorOptions;
    this.#buffer = new JitterBuffer({
      channels,
      sampleRate,
      targetFrames: Math.round((targetMs * sampleRate) / 1000),
      maxFrames: Math.round((maxMs * sampleRate) / 1000),
    });
    this.#ring = ring === undefined ? undefined : new PcmRingReader(ring);
    this.port.onmessage = (e: MessageEvent<PcmMessage>) => {
      if (e.data.type === "pcm") this.#buffer.write(e.data.timestampUs, e.data.planes, currentTime * 1e6);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    // Arrival on the audio clock: the buffer's target follows the spread of transit times (jitter-buffer.ts).
    this.#ring?.drain((timestampUs, planes) => this.#buffer.write(timestampUs, planes, currentTime * 1e6));
    const out = outputs[0];
    if (out !== undefined && out.length > 0) {
      this.#buffer.read(out);
      for (let i = 0; i < out[0]!.length; i++) this.#peak = Math.max(this.#peak, Math.abs(out[0]![i]!));
    }
    if (++this.#quanta % REPORT_EVERY_QUANTA === 0) {
      const { underruns, droppedFrames, concealedFrames } = this.#buffer.counters;
      const report: PlaybackReport = {
        contextTime: currentTime,
        playing: this.#buffer.playing,
        headUs: this.#buffer.headTimestampUs(),
        depthMs: (this.#buffer.depth * 1000) / sampleRate,
        targetMs: (this.#buffer.targetFrames * 1000) / sampleRate,
        underruns,
        droppedMs: (droppedFrames * 1000) / sampleRate,
        concealedMs: (concealedFrames * 1000) / sampleRate,
        outputPeak: this.#peak,
      };
      this.port.postMessage(report);
      this.#peak = 0;
    }
    return true;
  }
}

registerProcessor("live-rooms-playback", PlaybackProcessor);
