/**
 * The publish lab page: runs the renderer's publish engine (LocalMedia) in real Chromium with fake devices
 * and exposes `window.lab` for e2e/media-publish.spec.ts. The page also plays the remote side, reading
 * the published broadcasts in-process (publish-probe.ts).
 */
/// <reference lib="dom" />
import type * as Moq from "@moq/net";
import { LocalMedia, type BroadcastName, type MediaReport, type StartOptions } from "../../renderer/media/publish/index.ts";
import { CatalogWatcher, decodeAudio, decodeVideo, sampleFrames } from "./publish-probe.ts";

const producers: Record<BroadcastName, Moq.Broadcast.Producer[]> = { camera: [], screen: [] };
const catalogs = new Map<Moq.Broadcast.Producer, CatalogWatcher>();
const reports: MediaReport[] = [];
const subscriptions: { frames: number; ended: Promise<number> }[] = [];
let media: LocalMedia | undefined;
let screen: MediaStream | undefined;
let canvas: HTMLCanvasElement | undefined;

const engine = (): LocalMedia => {
  if (media === undefined) throw new Error("lab.start() first");
  return media;
};

const latest = (name: BroadcastName): Moq.Broadcast.Producer => {
  const p = producers[name].at(-1);
  if (p === undefined) throw new Error(`no ${name} broadcast published`);
  return p;
};

const inputs = async (kind: MediaDeviceKind) =>
  (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === kind).map((d) => ({ id: d.deviceId, label: d.label }));

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The lab's controls, called from the spec through page.evaluate. */
export const lab = {
  async start(opts: StartOptions): Promise<void> {
    media = new LocalMedia({
      publish: (name, producer) => {
        producers[name].push(producer);
        catalogs.set(producer, new CatalogWatcher(producer));
      },
    });
    media.onDidReport((r) => reports.push(r));
    await media.start(opts);
  },
  state: () => engine().state,
  reports: () => reports,
  stats: () => engine().stats(),
  level: () => engine().level(),
  hasPreview: () => engine().preview?.getVideoTracks()[0]?.readyState === "live",
  setCamera: (on: boolean) => engine().setCamera(on),
  setMicrophone: (on: boolean) => engine().setMicrophone(on),
  selectMicrophone: (id: string) => engine().selectMicrophone(id),
  selectCamera: (id: string) => engine().selectCamera(id),
  close: () => engine().close(),

  /** The newest catalog a subscriber of the latest `name` broadcast has seen. */
  catalog: (name: BroadcastName) => catalogs.get(latest(name))?.latest,
  catalogError: (name: BroadcastName) => catalogs.get(latest(name))?.error,
  /** How many catalog versions a subscriber of the latest `name` broadcast has seen. */
  catalogVersions: (name: BroadcastName) => catalogs.get(latest(name))?.versions,
  producerCount: (name: BroadcastName) => producers[name].length,
  /** Whether the `index`-th `name` producer handed to the app has been closed. */
  producerClosed: (name: BroadcastName, index: number) => producers[name][index]?.closed.peek() !== undefined,

  audioInputs: () => inputs("audioinput"),
  videoInputs: () => inputs("videoinput"),

  /**
   * Subscribe to a video rendition for `count` frames, then check each group's first frame decodes on
   * its own and the whole run decodes to pictures.
   */
  async sampleVideo(name: BroadcastName, track: string, count: number) {
    const producer = latest(name);
    const config = catalogs.get(producer)?.latest?.video?.renditions[track];
    if (config === undefined) throw new Error(`${track} is not in the ${name} catalog`);
    const { frames, payloads } = await sampleFrames(producer, track, count);
    const timestamps = frames.map((f) => f.timestampUs);
    const groupStarts = [];
    for (const [i, f] of frames.entries()) {
      if (f.index !== 0) continue;
      const r = await decodeVideo(config, [payloads[i]!], [f.timestampUs]);
      groupStarts.push({ group: f.group, pictures: r.pictures.length, error: r.error });
    }
    const decoded = await decodeVideo(config, payloads, timestamps);
    return { config, frames, groupStarts, decoded };
  },

  /** Subscribe to `audio/opus` for `count` packets and decode them. */
  async sampleAudio(name: BroadcastName, count: number) {
    const producer = latest(name);
    const config = catalogs.get(producer)?.latest?.audio?.renditions["audio/opus"];
    if (config === undefined) throw new Error(`audio/opus is not in the ${name} catalog`);
    const { frames, payloads } = await sampleFrames(producer, "audio/opus", count);
    return { config, frames, decoded: await decodeAudio(config, payloads, frames.map((f) => f.timestampUs)) };
  },

  /** Subscribe to a track and count its frames until it ends; returns an id for the two calls below. */
  subscribe(name: BroadcastName, track: string): number {
    const sub = latest(name).consume().subscribe(track);
    const counter = { frames: 0, ended: Promise.resolve(0) };
    counter.ended = (async () => {
      for (let g = await sub.recvGroup(); g !== undefined; g = await sub.recvGroup()) for (let f = await g.readFrame(); f !== undefined; f = await g.readFrame()) counter.frames++;
      return counter.frames;
    })();
    subscriptions.push(counter);
    return subscriptions.length - 1;
  },
  /** Frames subscription `id` has received so far. */
  subscriptionFrames: (id: number) => subscriptions[id]?.frames,
  /** Resolves with the frame count once subscription `id`'s track has ended. */
  subscriptionEnd: (id: number) => subscriptions[id]?.ended,

  /** Keep the page's main thread busy for `ms`, as a loaded machine does: capture drops what it cannot deliver. */
  stall: (ms: number) => {
    const end = performance.now() + ms;
    while (performance.now() < end);
  },

  /** Capture the (fake) screen and share it. */
  async shareScreen(): Promise<void> {
    screen = await withTimeout(navigator.mediaDevices.getDisplayMedia({ video: true }), 10_000, "getDisplayMedia");
    await engine().startScreen(screen);
  },
  /**
   * Share a canvas as if it were a window (resizable, unlike the fake display), with the microphone as
   * its audio when `withAudio`. The canvas is repainted continuously so its track keeps producing frames.
   */
  async shareCanvas(width: number, height: number, withAudio: boolean): Promise<void> {
    const c = document.createElement("canvas");
    Object.assign(c, { width, height });
    document.body.append(c);
    canvas = c;
    const ctx = c.getContext("2d")!;
    let tick = 0;
    setInterval(() => {
      ctx.fillStyle = `hsl(${tick++ % 360} 80% 50%)`;
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.fillStyle = "white";
      ctx.fillRect((tick * 7) % c.width, 0, c.width / 8, c.height);
    }, 33);
    const stream = c.captureStream(30);
    if (withAudio) stream.addTrack((await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0]!);
    screen = stream;
    await engine().startScreen(stream);
  },
  resizeCanvas: (width: number, height: number) => canvas && Object.assign(canvas, { width, height }),
  /** The size the screen is captured at. */
  screenSize: () => {
    const s = screen?.getVideoTracks()[0]?.getSettings();
    return { width: s?.width, height: s?.height };
  },
  stopScreen: () => engine().stopScreen(),
  /** What the browser's "Stop sharing" button does to the capture track. */
  endScreenFromBrowser: () => screen?.getVideoTracks()[0]?.dispatchEvent(new Event("ended")),
  /** What unplugging the camera does to its capture track. */
  unplugCamera: () => engine().preview?.getVideoTracks()[0]?.dispatchEvent(new Event("ended")),
};

/** The lab's type, for the spec. */
export type Lab = typeof lab;

(window as unknown as { lab: Lab }).lab = lab;
document.getElementById("status")!.textContent = "ready";
