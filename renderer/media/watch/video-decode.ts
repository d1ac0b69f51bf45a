/**
 * A VideoDecoder that survives bad input. Decoding starts at a keyframe; after any error (a frame the
 * decoder rejects, or the decoder closing itself) the decoder is rebuilt and delta frames are refused
 * until the next keyframe, i.e. the next group. Nothing here throws to the caller.
 */
import type { TimedFrame } from "../../../shared/media/container.ts";

/** Callbacks of {@link VideoDecode}. */
export interface VideoDecodeProps {
  onFrame(frame: VideoFrame): void;
  onError(err: Error): void;
}

export class VideoDecode {
  readonly #props: VideoDecodeProps;
  #decoder: VideoDecoder | undefined;
  #config: VideoDecoderConfig | undefined;
  #needKey = true;

  constructor(props: VideoDecodeProps) {
    this.#props = props;
  }

  /** Decode with `config` from the next keyframe on (the config is known to be supported). */
  configure(config: VideoDecoderConfig): void {
    this.#config = config;
    this.#rebuild();
  }

  /** Frames handed to the decoder and not yet output. */
  get queueSize(): number {
    return this.#decoder?.decodeQueueSize ?? 0;
  }

  /** Whether delta frames are being refused until a keyframe. */
  get waitingForKey(): boolean {
    return this.#needKey;
  }

  /** Make the decoder wait for the next keyframe (the rest of the group was discarded). */
  waitForKey(): void {
    this.#needKey = true;
  }

  /** Decode one frame; false if it was refused (no keyframe yet, or the decoder failed). */
  decode(frame: TimedFrame, key: boolean): boolean {
    if (this.#needKey && !key) return false;
    if (this.#decoder === undefined || this.#decoder.state === "closed") this.#rebuild();
    const decoder = this.#decoder;
    if (decoder === undefined) return false;
    try {
      decoder.decode(new EncodedVideoChunk({ type: key ? "key" : "delta", timestamp: frame.timestampUs, data: frame.payload }));
      this.#needKey = false;
      return true;
    } catch (err) {
      this.#fail(decoder, err as Error);
      return false;
    }
  }

  /** Release the decoder. */
  close(): void {
    const d = this.#decoder;
    this.#decoder = undefined;
    this.#config = undefined;
    if (d !== undefined && d.state !== "closed") d.close();
  }

  #rebuild(): void {
    const old = this.#decoder;
    if (old !== undefined && old.state !== "closed") old.close();
    this.#decoder = undefined;
    this.#needKey = true;
    if (this.#config === undefined) return;
    const decoder: VideoDecoder = new VideoDecoder({
      output: (f) => {
        if (this.#decoder === decoder) this.#props.onFrame(f);
        else f.close();
      },
      error: (e) => this.#fail(decoder, e),
    });
    try {
      decoder.configure(this.#config);
      this.#decoder = decoder;
    } catch (err) {
      decoder.close();
      this.#props.onError(err as Error);
    }
  }

  #fail(decoder: VideoDecoder, err: Error): void {
    if (this.#decoder !== decoder) return;
    this.#decoder = undefined;
    this.#needKey = true;
    if (decoder.state !== "closed") decoder.close();
    this.#props.onError(err);
  }
}
