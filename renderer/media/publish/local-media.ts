/**
 * LocalMedia: the participant's camera, microphone and screen, published as the `camera` and `screen`
 * hang broadcasts. The caller hands each broadcast producer on (to main) through `publish`; encoders run
 * only for renditions someone subscribes to. Control calls are serialized, so a burst of clicks applies
 * in order; failures are reported through {@link LocalMedia.onDidReport} and the state, not thrown.
 */
import type * as Moq from "@moq/net";
import { isConnected, openDevice, type DeviceKind } from "./devices.ts";
import { LevelMeter } from "./level.ts";
import { Publication } from "./publication.ts";
import { cameraPlan, screenPlan } from "./renditions.ts";
import { Emitter, INITIAL_STATE, type DeviceState, type LocalMediaState, type MediaReport } from "./state.ts";
import type { BroadcastName, PublishStats } from "./stats.ts";

/** What LocalMedia needs from the app. */
export interface LocalMediaInit {
  /** Hand a broadcast to the app (which relays it to peers). Closing the producer ends the broadcast. */
  publish(name: BroadcastName, producer: Moq.Broadcast.Producer): void;
}

/** What {@link LocalMedia.start} captures. */
export interface StartOptions {
  camera: boolean;
  microphone: boolean;
  cameraId?: string;
  microphoneId?: string;
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** Local capture and publishing. */
export class LocalMedia {
  readonly #init: LocalMediaInit;
  readonly #changes = new Emitter<LocalMediaState>();
  readonly #reports = new Emitter<MediaReport>();
  readonly #level = new LevelMeter();
  #state: LocalMediaState = INITIAL_STATE;
  #camera: Publication | undefined;
  #screen: Publication | undefined;
  #preview: MediaStream | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #onDeviceChange = (): void => this.#background("camera", () => this.#checkDevices());

  constructor(init: LocalMediaInit) {
    this.#init = init;
  }

  /** The current state. */
  get state(): LocalMediaState {
    return this.#state;
  }

  /** The local camera for the self tile, while the camera is on (a new stream after a device switch). */
  get preview(): MediaStream | undefined {
    return this.#preview;
  }

  /** The microphone level, 0..1, for a speaking indicator (0 while muted). */
  level(): number {
    return this.#state.microphone.on ? this.#level.level() : 0;
  }

  /** Call `fn` on every state change; returns the unsubscribe function. */
  onDidChangeState(fn: (state: LocalMediaState) => void): () => void {
    return this.#changes.on(fn);
  }

  /** Call `fn` on every fallback and failure; returns the unsubscribe function. */
  onDidReport(fn: (report: MediaReport) => void): () => void {
    return this.#reports.on(fn);
  }

  /** Open the chosen devices and publish the `camera` broadcast (published even with both off). */
  start(opts: StartOptions): Promise<void> {
    return this.#run(async () => {
      if (this.#camera !== undefined) throw new Error("LocalMedia already started");
      this.#camera = new Publication({ name: "camera", plan: cameraPlan, onError: (e) => this.#report("encoder", e) });
      this.#camera.addAudioSink(this.#level);
      this.#set({ camera: { on: false, deviceId: opts.cameraId }, microphone: { on: false, deviceId: opts.microphoneId } });
      navigator.mediaDevices.addEventListener("devicechange", this.#onDeviceChange);
      if (opts.camera) await this.#open("camera", opts.cameraId);
      if (opts.microphone) await this.#open("microphone", opts.microphoneId);
      this.#init.publish("camera", this.#camera.broadcast.producer);
    });
  }

  /** Turn the camera on (opening the selected device) or off (capture stops, renditions leave the catalog). */
  setCamera(on: boolean): Promise<void> {
    return this.#run(() => this.#toggle("camera", on));
  }

  /** Unmute (capture and `audio/opus` back) or mute (capture stops, `audio/opus` leaves the catalog). */
  setMicrophone(on: boolean): Promise<void> {
    return this.#run(() => this.#toggle("microphone", on));
  }

  /** Use another camera; the broadcast continues. While off, the choice applies when turned on. */
  selectCamera(deviceId: string): Promise<void> {
    return this.#run(() => this.#select("camera", deviceId));
  }

  /** Use another microphone; the broadcast continues. While muted, the choice applies on unmute. */
  selectMicrophone(deviceId: string): Promise<void> {
    return this.#run(() => this.#select("microphone", deviceId));
  }

  /**
   * Share a screen the caller captured (getDisplayMedia): publishes a fresh `screen` broadcast, replacing
   * any current share. Ends by itself when the user stops sharing from the browser's own UI.
   */
  startScreen(stream: MediaStream): Promise<void> {
    return this.#run(async () => {
      this.#closeScreen();
      const [video] = stream.getVideoTracks();
      const [audio] = stream.getAudioTracks();
      if (video === undefined) throw new Error("the screen stream has no video track");
      const pub = new Publication({ name: "screen", plan: (c) => [screenPlan(c)], onError: (e) => this.#report("encoder", e) });
      try {
        await pub.setVideo(video);
        if (audio !== undefined) await pub.setAudio(audio);
      } catch (err) {
        pub.close();
        audio?.stop();
        this.#report("screen", err);
        return;
      }
      this.#screen = pub;
      video.addEventListener("ended", () => this.#background("screen", () => Promise.resolve(this.#screen === pub && this.#closeScreen())), { once: true });
      this.#init.publish("screen", pub.broadcast.producer);
      this.#set({ screen: { on: true, audio: audio !== undefined } });
    });
  }

  /** Stop sharing: the `screen` producer is closed (the next share publishes a new one). */
  stopScreen(): Promise<void> {
    return this.#run(() => Promise.resolve(this.#closeScreen()));
  }

  /** What the encoders are doing, per broadcast and rendition. */
  stats(): PublishStats {
    return { broadcasts: [this.#camera, this.#screen].filter((p) => p !== undefined).map((p) => p.stats()) };
  }

  /** Stop all capture and end both broadcasts. */
  close(): Promise<void> {
    return this.#run(() => {
      navigator.mediaDevices.removeEventListener("devicechange", this.#onDeviceChange);
      this.#closeScreen();
      this.#camera?.close();
      this.#camera = undefined;
      this.#setPreview(undefined);
      this.#set({ camera: { ...this.#state.camera, on: false }, microphone: { ...this.#state.microphone, on: false }, videoCodec: undefined, closed: true });
      return Promise.resolve(true);
    }, true).then(() => undefined);
  }

  /** Run `op` after every earlier call; calls after {@link close} reject, except close itself. */
  #run<T>(op: () => Promise<T>, afterClose?: T): Promise<T> {
    const next = this.#queue.then(() => {
      if (!this.#state.closed) return op();
      if (afterClose !== undefined) return afterClose;
      throw new Error("LocalMedia is closed");
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Run `op` for an event (not a caller): a failure is reported, and nothing runs once closed. */
  #background(source: DeviceKind | "screen", op: () => Promise<unknown>): void {
    this.#run(op, null).catch((err: unknown) => this.#report(source, err));
  }

  async #toggle(kind: DeviceKind, on: boolean): Promise<void> {
    const pub = this.#started();
    if (on === this.#state[kind].on) return;
    if (on) return this.#open(kind, this.#state[kind].deviceId);
    await (kind === "camera" ? pub.setVideo(undefined) : pub.setAudio(undefined));
    if (kind === "camera") this.#setPreview(undefined);
    this.#set({ [kind]: { ...this.#state[kind], on: false }, ...(kind === "camera" && { videoCodec: undefined }) });
  }

  async #select(kind: DeviceKind, deviceId: string): Promise<void> {
    this.#started();
    if (!this.#state[kind].on) return this.#set({ [kind]: { on: false, deviceId } });
    await this.#open(kind, deviceId);
  }

  /** Open a device and feed it into the camera broadcast; on failure the device is left off and reported. */
  async #open(kind: DeviceKind, deviceId: string | undefined): Promise<void> {
    const pub = this.#started();
    let track: MediaStreamTrack | undefined;
    try {
      const opened = await openDevice(kind, deviceId);
      track = opened.track;
      if (opened.fellBack !== undefined) this.#fellBack(kind, opened.fellBack.wanted, track, opened.fellBack.error.message);
      await (kind === "camera" ? pub.setVideo(track) : pub.setAudio(track));
    } catch (err) {
      track?.stop();
      this.#report(kind, err);
      // Failing to open leaves the previous capture running; failing to encode has taken it down.
      if ((kind === "camera" ? pub.video.track : pub.audio.track) === undefined && this.#state[kind].on) {
        if (kind === "camera") this.#setPreview(undefined);
        this.#set({ [kind]: { ...this.#state[kind], on: false }, ...(kind === "camera" && { videoCodec: undefined }) });
      }
      return;
    }
    track.addEventListener("ended", () => this.#background(kind, () => this.#lost(kind, track)), { once: true });
    if (kind === "camera") {
      const preview = await previewOf(track);
      // An unplugged camera ends every track of its source, the self view's clone included.
      preview.getVideoTracks()[0]?.addEventListener("ended", () => this.#background(kind, () => this.#lost(kind, track)), { once: true });
      this.#setPreview(preview);
    }
    const s = track.getSettings();
    const device: DeviceState = { on: true, ...(s.deviceId !== undefined && { deviceId: s.deviceId }), label: track.label };
    this.#set({ [kind]: device, ...(kind === "camera" && { videoCodec: pub.videoCodec }) });
  }

  /** A capture track ended on its own (device unplugged): continue on the default device. */
  async #lost(kind: DeviceKind, track: MediaStreamTrack): Promise<void> {
    const pub = this.#camera;
    if (pub === undefined || (kind === "camera" ? pub.video.track : pub.audio.track) !== track) return;
    const wanted = this.#state[kind].deviceId ?? "";
    await this.#open(kind, undefined);
    // No device could replace it (the failure is reported): the device is off now.
    if ((kind === "camera" ? pub.video.track : pub.audio.track) === track) await this.#toggle(kind, false);
    if (!this.#state[kind].on) return;
    const now = this.#state[kind];
    this.#reports.emit({ type: "device-fallback", device: kind, wanted, ...(now.deviceId !== undefined && { deviceId: now.deviceId }), ...(now.label !== undefined && { label: now.label }), reason: "the device stopped capturing" });
  }

  /** After a devicechange: a device in use that is no longer listed is treated as lost. */
  async #checkDevices(): Promise<void> {
    for (const kind of ["camera", "microphone"] as const) {
      const pub = this.#camera;
      const track = kind === "camera" ? pub?.video.track : pub?.audio.track;
      const id = this.#state[kind].deviceId;
      if (track === undefined || id === undefined || (await isConnected(kind, id))) continue;
      await this.#lost(kind, track);
    }
  }

  #fellBack(kind: DeviceKind, wanted: string, track: MediaStreamTrack, reason: string): void {
    const id = track.getSettings().deviceId;
    this.#reports.emit({ type: "device-fallback", device: kind, wanted, ...(id !== undefined && { deviceId: id }), label: track.label, reason });
  }

  /** Replace the self-view stream, stopping the old clone (the capture itself goes on for the encoders). */
  #setPreview(next: MediaStream | undefined): void {
    for (const t of this.#preview?.getTracks() ?? []) t.stop();
    this.#preview = next;
  }

  #closeScreen(): void {
    if (this.#screen === undefined) return;
    this.#screen.close();
    this.#screen = undefined;
    this.#set({ screen: { on: false, audio: false } });
  }

  #started(): Publication {
    if (this.#camera === undefined) throw new Error("LocalMedia not started");
    return this.#camera;
  }

  #report(source: DeviceKind | "screen" | "encoder", err: unknown): void {
    const e = asError(err);
    this.#reports.emit({ type: "error", source, name: e.name, message: e.message });
  }

  #set(patch: Partial<LocalMediaState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#changes.emit(this.#state);
  }
}

/** Largest self-view: a tile is rarely bigger, and scaling 720p frames in the compositor on every paint cost a quarter core. */
const PREVIEW_MAX = { width: 640, height: 360 };

/**
 * The self view: a clone of the camera track scaled down in the capture pipeline (cheap, once per frame)
 * rather than in the page's compositor. A clone that refuses the size falls back to the full track's clone.
 */
async function previewOf(track: MediaStreamTrack): Promise<MediaStream> {
  const clone = track.clone();
  await clone.applyConstraints({ width: { max: PREVIEW_MAX.width }, height: { max: PREVIEW_MAX.height } }).catch(() => undefined);
  return new MediaStream([clone]);
}
