/** The publish engine's observable state and the events it reports. */
import type { VideoCodecKind } from "./codec.ts";
import type { DeviceKind } from "./devices.ts";

/** A camera or microphone. */
export interface DeviceState {
  /** Capturing and published. */
  on: boolean;
  /** The device in use, or the one that will be opened when turned on (undefined: the default). */
  deviceId?: string;
  /** Its label, once opened. */
  label?: string;
}

/** Everything the UI shows about local media. */
export interface LocalMediaState {
  camera: DeviceState;
  microphone: DeviceState;
  screen: { on: boolean; audio: boolean };
  /** The camera broadcast's video codec, while the camera is on. */
  videoCodec?: VideoCodecKind;
  closed: boolean;
}

/** Something that happened that the user should hear about. */
export type MediaReport =
  /** A device went away or would not open; the default device is used instead. */
  | { type: "device-fallback"; device: DeviceKind; wanted: string; deviceId?: string; label?: string; reason: string }
  /** Capture or encoding failed; `source` says which part is now off or degraded. */
  | { type: "error"; source: DeviceKind | "screen" | "encoder"; name: string; message: string };

/** The state before {@link LocalMedia.start}. */
export const INITIAL_STATE: LocalMediaState = {
  camera: { on: false },
  microphone: { on: false },
  screen: { on: false, audio: false },
  closed: false,
};

/** A listener registry; `on` returns the unsubscribe function. */
export class Emitter<T> {
  readonly #listeners = new Set<(value: T) => void>();

  on(fn: (value: T) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  emit(value: T): void {
    for (const fn of this.#listeners) {
      try {
        fn(value);
      } catch (err) {
        // A broken listener must not stop the others or the engine.
        console.error("local media listener failed", err);
      }
    }
  }
}
