/// <reference types="vite/client" />
/**
 * The one AudioContext every remote player plays through, with the playback worklet loaded into it and
 * the speaker selection. Browsers may keep a context suspended until a user gesture ("audio blocked"):
 * the state says so and {@link AudioOutput.resume} retries from a click handler.
 */
import workletUrl from "./playback-worklet.ts?worker&url";

/** Whether audio can be heard. */
export type AudioOutputState = "running" | "blocked" | "closed";

/** Opus decodes at 48 kHz; running the context at that rate avoids resampling in the common case. */
const CONTEXT_RATE = 48_000;

/** `AudioContext.setSinkId` (Chromium 110+) is not yet in TypeScript's DOM lib. */
interface SinkSelectable {
  setSinkId?(sinkId: string): Promise<void>;
}

/** The shared output; get it with {@link audioOutput}. */
export class AudioOutput {
  readonly context: AudioContext;
  /** Resolves once the playback worklet module is loaded (rejects if it cannot be). */
  readonly ready: Promise<void>;
  readonly #listeners = new Set<(s: AudioOutputState) => void>();

  constructor() {
    this.context = new AudioContext({ latencyHint: "interactive", sampleRate: CONTEXT_RATE });
    this.ready = this.context.audioWorklet.addModule(workletUrl);
    this.context.addEventListener("statechange", () => {
      for (const fn of this.#listeners) fn(this.state);
    });
  }

  /** Current state; "blocked" means suspended by the autoplay policy until {@link resume}. */
  get state(): AudioOutputState {
    switch (this.context.state) {
      case "running":
        return "running";
      case "closed":
        return "closed";
      default:
        return "blocked";
    }
  }

  /** Listen to state changes; returns the unsubscribe. */
  onDidChangeState(fn: (s: AudioOutputState) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Try to start audio (call from a user gesture when {@link state} is "blocked"); true if running. */
  async resume(): Promise<boolean> {
    await this.context.resume().catch(() => undefined);
    return this.state === "running";
  }

  /** Whether {@link setSpeaker} can pick a device here. */
  get canSelectSpeaker(): boolean {
    return typeof (this.context as SinkSelectable).setSinkId === "function";
  }

  /**
   * Play through the output device `deviceId` (from enumerateDevices; "" or "default" is the system
   * default). Rejects if the device is unknown or selection is unsupported.
   */
  async setSpeaker(deviceId: string): Promise<void> {
    const ctx = this.context as SinkSelectable;
    if (ctx.setSinkId === undefined) throw new Error("this browser cannot choose the audio output device");
    await ctx.setSinkId(deviceId === "default" ? "" : deviceId);
  }
}

let shared: AudioOutput | undefined;

/** The shared output, created on first use (so no AudioContext exists before anyone plays audio). */
export function audioOutput(): AudioOutput {
  if (shared === undefined || shared.context.state === "closed") shared = new AudioOutput();
  return shared;
}
