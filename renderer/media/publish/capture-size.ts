/**
 * The size a video track really captures at, read off its frames. Track settings are not enough: a
 * display capture reports the requested size (e.g. the window's 1180×760) until the first frame arrives
 * at the real one (1180×664 for a 16:9 screen), and a shared window changes size whenever it is resized.
 */
import type { FrameSink } from "./frame-source.ts";
import type { CaptureSize } from "./renditions.ts";

/** How long to wait for a first frame before trusting the track settings. */
const FIRST_FRAME_TIMEOUT_MS = 5000;

/** Watches frame sizes; `onChange` fires when the size differs from the last frame's. */
export class SizeWatch implements FrameSink<VideoFrame> {
  #size: CaptureSize | undefined;
  #framerate: number | undefined;
  #waiters: ((size: CaptureSize) => void)[] = [];
  readonly #onChange: (size: CaptureSize) => void;

  constructor(onChange: (size: CaptureSize) => void) {
    this.#onChange = onChange;
  }

  /** The last frame's size, if a frame arrived since {@link reset}. */
  get size(): CaptureSize | undefined {
    return this.#size;
  }

  /** Forget the size (a new track): `onChange` fires with its first frame. */
  reset(track: MediaStreamTrack): void {
    this.#size = undefined;
    this.#framerate = track.getSettings().frameRate;
  }

  push(frame: VideoFrame): void {
    const { displayWidth: width, displayHeight: height } = frame;
    if (this.#size?.width === width && this.#size.height === height) return;
    this.#size = { width, height, ...(this.#framerate !== undefined && { framerate: this.#framerate }) };
    for (const resolve of this.#waiters.splice(0)) resolve(this.#size);
    this.#onChange(this.#size);
  }

  /** The current size, waiting for the first frame of `track` (falling back to its settings after a while). */
  async first(track: MediaStreamTrack): Promise<CaptureSize> {
    if (this.#size !== undefined) return this.#size;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fromSettings = new Promise<CaptureSize>((resolve) => {
      timer = setTimeout(() => {
        const s = track.getSettings();
        resolve({ width: s.width ?? 1280, height: s.height ?? 720, ...(s.frameRate !== undefined && { framerate: s.frameRate }) });
      }, FIRST_FRAME_TIMEOUT_MS);
    });
    const fromFrame = new Promise<CaptureSize>((resolve) => this.#waiters.push(resolve));
    try {
      return await Promise.race([fromFrame, fromSettings]);
    } finally {
      clearTimeout(timer);
    }
  }
}
