/**
 * The call's media, outside React: the media link to main, our capture and encoders (publish/), and the
 * players of remote broadcasts (watch/). Like the bridge, it reaches the store only through a narrow port.
 *
 * - Entering a call opens the link and starts LocalMedia; our broadcasts are published on the link and
 *   republished if the link has to be reopened (browser mode's socket can drop; Electron's port cannot).
 * - Tiles ask for a player per remote broadcast; each link generation invalidates the old consumers, so
 *   tiles recreate their players when the generation changes.
 */
import * as Moq from "@moq/net";
import { remotePath, type LocalBroadcastName } from "../../shared/media/link.ts";
import { openMediaLink, type LinkTarget } from "./link.ts";
import { LocalMedia, type LocalMediaState, type MediaReport, type PublishStats, type StartOptions } from "./publish/index.ts";
import { audioOutput, type AudioOutputState } from "./watch/index.ts";

/** Where the link stands; `generation` grows with every (re)opened link. */
export interface MediaLinkStatus {
  state: "closed" | "opening" | "open" | "retrying";
  generation: number;
}

/** A capture or output device the user can pick. */
export interface DeviceChoice {
  deviceId: string;
  label: string;
}

/** The devices on offer, by kind. */
export interface DeviceLists {
  cameras: DeviceChoice[];
  microphones: DeviceChoice[];
  speakers: DeviceChoice[];
}

/** The store actions this layer may call. */
export interface CallMediaPort {
  localMediaChanged(state: LocalMediaState): void;
  mediaLinkChanged(status: MediaLinkStatus): void;
  devicesListed(devices: DeviceLists): void;
  /** Something the user should read (a device fell back, capture failed). */
  mediaNotice(message: string): void;
}

const RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

/** Words for a report from the publish engine. */
export function describeReport(r: MediaReport): string {
  if (r.type === "device-fallback") return `The ${r.device} you chose is unavailable (${r.reason}); using ${r.label ?? "the default one"} instead.`;
  const what = r.source === "encoder" ? "Encoding" : r.source === "screen" ? "Screen sharing" : `The ${r.source}`;
  return `${what} failed: ${r.message}`;
}

/** List devices; labels are empty until the page has been granted access, so unnamed ones get numbers. */
export async function listDevices(devices: MediaDevices = navigator.mediaDevices): Promise<DeviceLists> {
  const all = await devices.enumerateDevices();
  const pick = (kind: MediaDeviceKind, noun: string): DeviceChoice[] =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== "")
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label === "" ? `${noun} ${i + 1}` : d.label }));
  return { cameras: pick("videoinput", "Camera"), microphones: pick("audioinput", "Microphone"), speakers: pick("audiooutput", "Speaker") };
}

/** The media side of one window. */
export class CallMedia {
  readonly #target: LinkTarget;
  readonly #port: CallMediaPort;
  #local: LocalMedia | undefined;
  #conn: Moq.Connection.Established | undefined;
  readonly #published = new Map<LocalBroadcastName, Moq.Broadcast.Producer>();
  #status: MediaLinkStatus = { state: "closed", generation: 0 };
  /** Aborted when the call ends: stops reconnecting. */
  #call: AbortController | undefined;
  readonly #onDeviceChange = (): void => void this.refreshDevices();

  constructor(target: LinkTarget, port: CallMediaPort) {
    this.#target = target;
    this.#port = port;
  }

  /** The link now. */
  get status(): MediaLinkStatus {
    return this.#status;
  }

  /** Our camera for the self tile. */
  get preview(): MediaStream | undefined {
    return this.#local?.preview;
  }

  /** Our microphone level 0..1 (0 while muted or out of a call). */
  level(): number {
    return this.#local?.level() ?? 0;
  }

  /** What our encoders are doing. */
  publishStats(): PublishStats | undefined {
    return this.#local?.stats();
  }

  /** Open the link and start capturing (with whatever the user allowed). */
  async enterCall(opts: StartOptions): Promise<void> {
    if (this.#call !== undefined) return;
    const call = new AbortController();
    this.#call = call;
    const local = new LocalMedia({ publish: (name, producer) => this.#publish(name, producer) });
    this.#local = local;
    local.onDidChangeState((s) => this.#port.localMediaChanged(s));
    local.onDidReport((r) => this.#port.mediaNotice(describeReport(r)));
    navigator.mediaDevices.addEventListener("devicechange", this.#onDeviceChange);
    void this.#keepLinked(call.signal);
    await local.start(opts);
    await this.refreshDevices();
  }

  /** Stop capturing, end our broadcasts and close the link. */
  async leaveCall(): Promise<void> {
    const call = this.#call;
    if (call === undefined) return;
    this.#call = undefined;
    call.abort();
    navigator.mediaDevices.removeEventListener("devicechange", this.#onDeviceChange);
    const local = this.#local;
    this.#local = undefined;
    await local?.close();
    this.#published.clear();
    this.#conn?.close();
    this.#conn = undefined;
    this.#setStatus("closed");
  }

  /** A remote broadcast on the current link, or undefined without one. The caller closes it. */
  consume(peerId: string, name: string): Moq.Broadcast.Consumer | undefined {
    return this.#conn?.consume(Moq.Path.from(remotePath(peerId, name)));
  }

  setMicrophone(on: boolean): Promise<void> {
    return this.#local?.setMicrophone(on) ?? Promise.resolve();
  }
  setCamera(on: boolean): Promise<void> {
    return this.#local?.setCamera(on) ?? Promise.resolve();
  }
  selectCamera(deviceId: string): Promise<void> {
    return this.#local?.selectCamera(deviceId) ?? Promise.resolve();
  }
  selectMicrophone(deviceId: string): Promise<void> {
    return this.#local?.selectMicrophone(deviceId) ?? Promise.resolve();
  }
  startScreen(stream: MediaStream): Promise<void> {
    if (this.#local === undefined) {
      for (const t of stream.getTracks()) t.stop();
      return Promise.resolve();
    }
    return this.#local.startScreen(stream);
  }
  stopScreen(): Promise<void> {
    return this.#local?.stopScreen() ?? Promise.resolve();
  }

  /** Play remote audio through `deviceId` ("" for the system default). */
  async setSpeaker(deviceId: string): Promise<void> {
    const out = audioOutput();
    if (!out.canSelectSpeaker) throw new Error("this browser cannot choose the speaker");
    await out.setSpeaker(deviceId);
  }

  /** Whether remote audio can be heard, now and on change (the shared output is created on first use). */
  onAudioState(fn: (s: AudioOutputState) => void): () => void {
    const out = audioOutput();
    fn(out.state);
    return out.onDidChangeState(fn);
  }

  /** Start audio held back by the autoplay policy (call from a click). */
  resumeAudio(): Promise<boolean> {
    return audioOutput().resume();
  }

  /** Re-read the device lists (after access was granted, or a device came or went). */
  async refreshDevices(): Promise<void> {
    try {
      this.#port.devicesListed(await listDevices());
    } catch {
      // No device enumeration here (an insecure context): the pickers stay empty.
    }
  }

  #publish(name: LocalBroadcastName, producer: Moq.Broadcast.Producer): void {
    this.#published.set(name, producer);
    void Promise.resolve(producer.closed).then(() => {
      if (this.#published.get(name) === producer) this.#published.delete(name);
    });
    this.#conn?.publish(Moq.Path.from(name), producer);
  }

  /** Keep a link open for the whole call, reopening it (with backoff) when it drops. */
  async #keepLinked(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      this.#setStatus(attempt === 0 ? "opening" : "retrying");
      try {
        const conn = await openMediaLink(this.#target);
        if (signal.aborted) {
          conn.close();
          return;
        }
        this.#conn = conn;
        attempt = -1;
        for (const [name, producer] of this.#published) conn.publish(Moq.Path.from(name), producer);
        this.#setStatus("open", true);
        await conn.closed.catch(() => undefined);
        if (this.#conn === conn) this.#conn = undefined;
      } catch {
        // Retried below; the status says "retrying" meanwhile.
      }
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(Math.max(attempt, 0), RETRY_MS.length - 1)]));
    }
  }

  #setStatus(state: MediaLinkStatus["state"], newGeneration = false): void {
    this.#status = { state, generation: this.#status.generation + (newGeneration ? 1 : 0) };
    this.#port.mediaLinkChanged(this.#status);
  }
}
