/// <reference lib="dom" />
/**
 * Watch lab: renderer/media/watch's RemotePlayer playing an in-page broadcast (watch-source.ts, or the
 * committed test clip), driven by e2e/media-watch.spec.ts through `window.lab`. The page carries the app's
 * CSP (script-src 'self'), so the playback worklet is loaded the way the app loads it.
 */
import { audioOutput, RemotePlayer, type PlayerState, type PlayerStats } from "../../renderer/media/watch/index.ts";
import { LabSource, type LabRendition } from "./watch-source.ts";
import { startClip } from "./watch-clip.ts";

const canvas = document.querySelector<HTMLCanvasElement>("#video")!;
let player: RemotePlayer | undefined;
let source: LabSource | undefined;
let stopClip: (() => void) | undefined;
const logs: string[] = [];

function stop(): void {
  player?.close();
  source?.close();
  stopClip?.();
  player = undefined;
  source = undefined;
  stopClip = undefined;
}

function play(broadcast: ConstructorParameters<typeof RemotePlayer>[0]["broadcast"]): void {
  player = new RemotePlayer({ broadcast, log: (m) => logs.push(m) });
  player.attach(canvas);
}

const lab = {
  /** Publish the lab broadcast and watch it. */
  start(renditions: LabRendition[], audio = true): void {
    stop();
    source = new LabSource(renditions, audio);
    play(source.producer.consume());
  },
  /** Watch the committed test clip. */
  startClip(): void {
    stop();
    const c = startClip();
    stopClip = () => c.stop();
    play(c.producer.consume());
  },
  stop: () => stop(),
  setListed: (kind: "audio" | "video", on: boolean) => source!.setListed(kind, on),
  badCatalog: () => source!.publishBadCatalog(),
  goodCatalog: () => source!.publishCatalog(),
  garbage: (kind: "container" | "bitstream") => source!.injectGarbage(kind),
  stall: (ms: number) => source!.stall(ms),
  audioJump: (ms: number) => source!.audioJump(ms),
  setViewport: (w: number, h: number) => player!.setViewportSize(w, h),
  state: (): PlayerState => player!.state(),
  stats: (): PlayerStats => player!.stats(),
  level: (): number => player!.level(),
  audioContextState: (): string => audioOutput().context.state,
  logs: (): string[] => logs,
  /** RGB of a 4×4 grid of canvas pixels (empty before the canvas has a size). */
  pixels(): number[] {
    if (canvas.width === 0 || canvas.height === 0) return [];
    const g = canvas.getContext("2d")!;
    const out: number[] = [];
    for (let y = 1; y <= 4; y++)
      for (let x = 1; x <= 4; x++) {
        const d = g.getImageData(Math.floor((canvas.width * x) / 5), Math.floor((canvas.height * y) / 5), 1, 1).data;
        out.push(d[0]!, d[1]!, d[2]!);
      }
    return out;
  },
  canvasSize: (): [number, number] => [canvas.width, canvas.height],
};

document.querySelector("#resume")!.addEventListener("click", () => void audioOutput().resume());
(window as unknown as { lab: typeof lab }).lab = lab;
