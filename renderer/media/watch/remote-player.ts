/**
 * Plays one remote hang broadcast (`camera` or `screen`): follows its catalog, shows video on a canvas
 * and plays audio through the shared output, in sync, at the live edge. Never throws once constructed:
 * bad catalogs, bad frames and decoder failures are counted and shown in the state.
 *
 * ```ts
 * const player = new RemotePlayer({ broadcast });
 * player.attach(videoOrCanvas);
 * player.setViewportSize(tile.clientWidth * devicePixelRatio, tile.clientHeight * devicePixelRatio);
 * const off = player.onDidChangeState((s) => render(s));
 * // overlay: setInterval(() => show(player.stats()), 1000); speaking: player.level() each animation frame
 * player.close();
 * ```
 */
import type * as Moq from "@moq/net";
import type { Catalog } from "../../../shared/media/catalog.ts";
import { audioOutput, type AudioOutput } from "./audio-output.ts";
import { AudioTrackPlayer } from "./audio-track.ts";
import { CatalogReader } from "./catalog-reader.ts";
import { audioSupported } from "./codec-config.ts";
import { RateMeter } from "./meters.ts";
import type { AudioStatus, PlayerState, PlayerStats } from "./types.ts";
import { VideoPipeline } from "./video-pipeline.ts";
import { canvasSurface, videoElementSurface } from "./video-surface.ts";

/** Construction parameters of {@link RemotePlayer}. */
export interface RemotePlayerInit {
  broadcast: Moq.Broadcast.Consumer;
  /** Defaults to the process-wide {@link audioOutput}. */
  output?: AudioOutput;
  /** Where problems with peer data are reported; defaults to console.warn. */
  log?: (message: string) => void;
}

export class RemotePlayer {
  readonly #output: AudioOutput;
  readonly #log: (message: string) => void;
  readonly #catalog: CatalogReader;
  readonly #video: VideoPipeline;
  #audio: AudioTrackPlayer | undefined;
  #audioVersion = 0;
  #state: PlayerState = { catalog: "waiting", video: { kind: "off" }, audio: { kind: "muted" } };
  readonly #listeners = new Set<(s: PlayerState) => void>();
  readonly #offOutput: () => void;
  #closed = false;
  readonly #n = { decoded: 0, dropped: 0, skips: 0, badFrames: 0, decoderErrors: 0, badCatalogs: 0 };
  readonly #decodedFps = new RateMeter();
  readonly #paintedFps = new RateMeter();
  readonly #bytes = new RateMeter();
  #lastPaint: { timestampUs: number; width: number; height: number } | undefined;
  #audioCodec: string | undefined;
  /** Rendition name and config of the audio being played: a catalog repeating them changes nothing. */
  #audioKey = "";

  constructor(init: RemotePlayerInit) {
    this.#output = init.output ?? audioOutput();
    this.#log = init.log ?? ((m) => console.warn(`[watch] ${m}`));
    this.#catalog = new CatalogReader(init.broadcast);
    this.#video = new VideoPipeline(init.broadcast, () => this.#audio?.clockUs(), {
      playing: (r, width, height) => this.#set({ video: { kind: "playing", rendition: r.name, width, height } }),
      unsupported: (codecs) => this.#set({ video: { kind: "unsupported", codecs } }),
      decoded: () => {
        this.#n.decoded++;
        this.#decodedFps.add(performance.now());
      },
      painted: (f) => {
        this.#paintedFps.add(performance.now());
        this.#lastPaint = { timestampUs: f.timestamp, width: f.displayWidth, height: f.displayHeight };
      },
      dropped: (n) => (this.#n.dropped += n),
      skippedToLive: () => this.#n.skips++,
      bytes: (n) => this.#bytes.add(performance.now(), n),
      garbage: (err) => this.#garbage(err),
      decoderError: (err) => {
        this.#n.decoderErrors++;
        this.#log(`video decoder error, waiting for the next keyframe: ${err.message}`);
      },
    });
    this.#offOutput = this.#output.onDidChangeState(() => this.#refreshAudioStatus());
    void this.#followCatalog(init.broadcast);
  }

  /**
   * Show video in `target`: a `<video>` element (fed frame by frame where the browser has a track generator,
   * see video-surface.ts) or a canvas (sized to the video); undefined stops showing it.
   */
  attach(target: HTMLCanvasElement | HTMLVideoElement | undefined): void {
    if (target === undefined) return this.#video.attach(undefined);
    // A video element in a browser without a track generator is not given frames: TileMedia renders a
    // canvas there instead (videoElementSupported).
    this.#video.attach(target instanceof HTMLVideoElement ? videoElementSurface(target) : canvasSurface(target));
  }

  /** The tile's size in device pixels: picks the smallest rendition that covers it. Until called, the smallest. */
  setViewportSize(width: number, height: number): void {
    this.#video.setViewportSize(width, height);
  }

  /** The current state. */
  state(): PlayerState {
    return this.#state;
  }

  /** Called on every state change (not on stats); returns the unsubscribe. */
  onDidChangeState(fn: (s: PlayerState) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Current audio level 0..1 (0 when muted), for a speaking indicator. */
  level(): number {
    return this.#audio?.level() ?? 0;
  }

  /** Numbers for the stats overlay. */
  stats(): PlayerStats {
    const now = performance.now();
    const report = this.#audio?.report;
    const r = this.#video.rendition;
    const heard = this.#audio?.clockUs();
    return {
      videoCodec: r?.config.codec,
      rendition: r?.name,
      width: this.#lastPaint?.width ?? 0,
      height: this.#lastPaint?.height ?? 0,
      decodedFps: this.#decodedFps.perSecond(now),
      paintedFps: this.#paintedFps.perSecond(now),
      receiveBitsPerSecond: this.#bytes.perSecond(now) * 8,
      delayMs: this.#lastPaint && (Date.now() * 1000 - this.#lastPaint.timestampUs) / 1000,
      audioCodec: this.#audio === undefined ? undefined : this.#audioCodec,
      audioDelayMs: heard === undefined ? undefined : (Date.now() * 1000 - heard) / 1000,
      jitterBufferMs: report?.depthMs ?? 0,
      jitterTargetMs: report?.targetMs ?? 0,
      audioUnderruns: report?.underruns ?? 0,
      audioConcealedMs: report?.concealedMs ?? 0,
      audioDroppedMs: report?.droppedMs ?? 0,
      audioOutputPeak: report?.outputPeak ?? 0,
      framesDecoded: this.#n.decoded,
      framesDropped: this.#n.dropped,
      liveEdgeSkips: this.#n.skips,
      badFrames: this.#n.badFrames,
      decoderErrors: this.#n.decoderErrors,
      badCatalogs: this.#n.badCatalogs,
    };
  }

  /** Release decoders, subscriptions and the worklet node. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#offOutput();
    this.#catalog.close();
    this.#video.close();
    this.#stopAudio();
    this.#listeners.clear();
  }

  async #followCatalog(broadcast: Moq.Broadcast.Consumer): Promise<void> {
    while (!this.#closed) {
      const read = await this.#catalog.next();
      if (this.#closed) return;
      switch (read.kind) {
        case "catalog":
          this.#set({ catalog: "ok" });
          this.#apply(broadcast, read.catalog);
          break;
        case "invalid":
          this.#n.badCatalogs++;
          this.#log(`catalog rejected, showing nothing until a valid one: ${read.reason}`);
          this.#apply(broadcast, {});
          this.#set({ catalog: "invalid" });
          break;
        case "ended":
          this.#apply(broadcast, {});
          this.#set({ catalog: "ended" });
          return;
        default:
          read satisfies never;
      }
    }
  }

  #apply(broadcast: Moq.Broadcast.Consumer, catalog: Catalog): void {
    const video = Object.entries(catalog.video?.renditions ?? {}).map(([name, config]) => ({ name, config }));
    if (video.length === 0) this.#set({ video: { kind: "off" } });
    else if (this.#state.video.kind === "off" || this.#state.video.kind === "unsupported") this.#set({ video: { kind: "starting", rendition: video[0]!.name } });
    void this.#video.setRenditions(video);
    void this.#applyAudio(broadcast, catalog);
  }

  async #applyAudio(broadcast: Moq.Broadcast.Consumer, catalog: Catalog): Promise<void> {
    const version = ++this.#audioVersion;
    const all = Object.entries(catalog.audio?.renditions ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const ok = await Promise.all(all.map(([, c]) => audioSupported(c)));
    if (version !== this.#audioVersion || this.#closed) return;
    const pick = all.find((_, i) => ok[i]);
    if (pick === undefined) {
      this.#stopAudio();
      this.#set({ audio: all.length === 0 ? { kind: "muted" } : { kind: "unsupported", codecs: [...new Set(all.map(([, c]) => c.codec))] } });
      return;
    }
    const [name, config] = pick;
    const key = `${name} ${JSON.stringify(config)}`;
    if (this.#audio !== undefined && this.#audioKey === key) return;
    this.#stopAudio();
    this.#audioKey = key;
    this.#audioCodec = config.codec;
    this.#audio = new AudioTrackPlayer(broadcast, name, config, this.#output, {
      bytes: (n) => this.#bytes.add(performance.now(), n),
      garbage: (err) => this.#garbage(err),
      decoderError: (err) => {
        this.#n.decoderErrors++;
        this.#log(`audio decoder error: ${err.message}`);
      },
      started: () => this.#refreshAudioStatus(),
    });
    this.#set({ audio: { kind: "starting", rendition: name } });
  }

  #stopAudio(): void {
    this.#audio?.close();
    this.#audio = undefined;
  }

  #refreshAudioStatus(): void {
    const a = this.#audio;
    if (a === undefined || a.decoded === 0) return;
    const audio: AudioStatus = this.#output.state === "running" ? { kind: "playing", rendition: a.name } : { kind: "blocked", rendition: a.name };
    this.#set({ audio });
  }

  #garbage(err: Error): void {
    this.#n.badFrames++;
    this.#log(`bad media frame, skipped to the next keyframe: ${err.message}`);
  }

  #set(patch: Partial<PlayerState>): void {
    if (this.#closed) return;
    const next = { ...this.#state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.#state)) return;
    this.#state = next;
    for (const fn of this.#listeners) fn(next);
  }
}
