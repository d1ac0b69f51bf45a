/**
 * A published hang broadcast: `catalog.json` plus media renditions that come and go (mute, camera off).
 * The catalog is rewritten on every change; a removed rendition's track is ended and taken out of the
 * broadcast, which is how remote peers learn that a microphone is muted or a camera is off.
 */
import * as Moq from "@moq/net";
import { TRACKS, type AudioConfig, type Catalog, type VideoConfig } from "../../../shared/media/catalog.ts";
import { CatalogTrack } from "./catalog-track.ts";
import { MediaTrack } from "./media-track.ts";

/**
 * How long closed media groups stay in moq's cache. Short, so a late subscriber starts at the newest
 * keyframe rather than seconds behind.
 */
const MEDIA_LATENCY_MAX_MS = 500;

type Entry = { kind: "video"; config: VideoConfig; track: MediaTrack } | { kind: "audio"; config: AudioConfig; track: MediaTrack };

/** The broadcast producer with its catalog. */
export class HangBroadcast {
  readonly producer = new Moq.Broadcast.Producer();
  readonly #catalog = new CatalogTrack(this.producer);
  readonly #renditions = new Map<string, Entry>();
  #closed = false;

  constructor() {
    this.#catalog.write(this.catalog());
  }

  /** Add a video rendition (e.g. `video/h264-360p`) and list it in the catalog. */
  addVideo(name: string, config: VideoConfig): MediaTrack {
    const track = this.#create(name, TRACKS.videoPriority);
    this.#renditions.set(name, { kind: "video", config, track });
    this.#catalog.write(this.catalog());
    return track;
  }

  /** Add an audio rendition (e.g. `audio/opus`) and list it in the catalog. */
  addAudio(name: string, config: AudioConfig): MediaTrack {
    const track = this.#create(name, TRACKS.audioPriority);
    this.#renditions.set(name, { kind: "audio", config, track });
    this.#catalog.write(this.catalog());
    return track;
  }

  /** Remove a rendition: its track ends and the catalog stops listing it. */
  remove(name: string): void {
    const entry = this.#renditions.get(name);
    if (entry === undefined) return;
    this.#renditions.delete(name);
    entry.track.close();
    this.producer.removeTrack(name);
    if (!this.#closed) this.#catalog.write(this.catalog());
  }

  /** The current catalog. */
  catalog(): Catalog {
    const pick = <K extends Entry["kind"]>(kind: K) =>
      Object.fromEntries([...this.#renditions].filter(([, e]) => e.kind === kind).map(([n, e]) => [n, e.config])) as Record<string, Extract<Entry, { kind: K }>["config"]>;
    const video = pick("video");
    const audio = pick("audio");
    const c: Catalog = {};
    if (Object.keys(video).length > 0) c.video = { renditions: video, priority: TRACKS.videoPriority };
    if (Object.keys(audio).length > 0) c.audio = { renditions: audio };
    return c;
  }

  /** End every track, then the broadcast (closing only the broadcast would leave subscribers' tracks open). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const name of [...this.#renditions.keys()]) this.remove(name);
    this.#catalog.close();
    this.producer.close();
  }

  #create(name: string, priority: number): MediaTrack {
    if (this.#closed) throw new Error("broadcast is closed");
    if (this.#renditions.has(name)) throw new Error(`rendition ${name} exists`);
    return new MediaTrack(this.producer.createTrack(name, { priority, latencyMax: MEDIA_LATENCY_MAX_MS, timescale: Moq.Time.Timescale.MICRO }));
  }
}
