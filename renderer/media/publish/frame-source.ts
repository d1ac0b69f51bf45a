/**
 * A capture track read frame by frame and fanned out to sinks (encoders, the level meter). The track can
 * be swapped (device switch) while the sinks stay. Every frame is closed after the sinks have seen it:
 * WebCodecs encoders clone what they keep, and an unclosed frame stalls the capture pipeline.
 */
import { CaptureClock } from "./clock.ts";
import { readFrames } from "./track-processor.ts";

/** Takes captured frames; must not keep them past the call (clone to keep). */
export interface FrameSink<F> {
  push(frame: F): void;
}

/** Reads one capture track at a time. */
export class FrameSource<F extends VideoFrame | AudioData> {
  /** Maps this source's media timestamps to the wall clock; reset when the track changes. */
  readonly clock = new CaptureClock();
  readonly #sinks = new Set<FrameSink<F>>();
  readonly #onError: (err: unknown) => void;
  readonly #convert: (frame: F) => F;
  #track: MediaStreamTrack | undefined;
  #reader: ReadableStreamDefaultReader<F> | undefined;

  /** `convert` may replace a frame before the sinks see it (both are closed after). */
  constructor(onError: (err: unknown) => void, convert: (frame: F) => F = (f) => f) {
    this.#onError = onError;
    this.#convert = convert;
  }

  /** The track being read. */
  get track(): MediaStreamTrack | undefined {
    return this.#track;
  }

  /** Start reading `track`, stopping the previous one (its camera light goes off). */
  attach(track: MediaStreamTrack): void {
    this.detach();
    this.#track = track;
    this.clock.reset();
    const reader = readFrames<F>(track).getReader();
    this.#reader = reader;
    void this.#pump(reader);
  }

  /** Stop reading and stop the track. */
  detach(): void {
    const reader = this.#reader;
    this.#reader = undefined;
    reader?.cancel().catch(() => undefined);
    this.#track?.stop();
    this.#track = undefined;
  }

  /** Feed `sink` every frame from now on. */
  add(sink: FrameSink<F>): void {
    this.#sinks.add(sink);
  }

  /** Stop feeding `sink`. */
  delete(sink: FrameSink<F>): void {
    this.#sinks.delete(sink);
  }

  async #pump(reader: ReadableStreamDefaultReader<F>): Promise<void> {
    for (;;) {
      let next: ReadableStreamReadResult<F>;
      try {
        next = await reader.read();
      } catch (err) {
        if (reader === this.#reader) this.#onError(err);
        return;
      }
      if (next.done) return;
      const captured = next.value;
      let frame = captured;
      try {
        if (reader !== this.#reader) return;
        this.clock.observe(captured.timestamp);
        frame = this.#convert(captured);
        for (const sink of this.#sinks) {
          try {
            sink.push(frame);
          } catch (err) {
            this.#onError(err);
          }
        }
      } catch (err) {
        this.#onError(err);
      } finally {
        if (frame !== captured) frame.close();
        captured.close();
      }
    }
  }
}
