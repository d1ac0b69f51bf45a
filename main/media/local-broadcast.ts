/**
 * A broadcast this peer publishes, in the hang format: `catalog.json`, media tracks in the legacy
 * container (a new group at every keyframe), and optionally iroh-live's chat track.
 * The catalog is rewritten whenever a rendition is added or removed.
 */
import * as Moq from "@moq/net";
import { TRACKS, type AudioConfig, type Catalog, type VideoConfig } from "../../shared/media/catalog.ts";
import { encodeLegacyFrame } from "../../shared/media/container.ts";
import { CatalogPublisher } from "./catalog-track.ts";
import { ChatPublisher } from "./chat.ts";

/** Video groups older than this are not replayed to new subscribers: they start at the current keyframe. */
const MEDIA_CACHE_MS = 500;

/** Writes encoded frames of one rendition. */
export class MediaTrackWriter {
  readonly name: string;
  /** The underlying track, for relays that copy whole groups (main/media/forward.ts) instead of writing frames. */
  readonly track: Moq.Track.Producer;
  readonly #track: Moq.Track.Producer;
  #group: Moq.Group.Producer | undefined;

  constructor(track: Moq.Track.Producer) {
    this.name = track.name;
    this.track = track;
    this.#track = track;
  }

  /** Whether anyone subscribes: encoders for this rendition need only run while true. */
  get used(): boolean {
    return this.#track.used.peek();
  }

  /** Resolves when the rendition loses its last subscriber. */
  unused(): Promise<void> {
    return this.#track.unused();
  }

  /** Append a frame; a keyframe starts a new group. Frames before the first keyframe are dropped. */
  writeFrame(timestampUs: number, payload: Uint8Array, keyframe: boolean): void {
    if (keyframe) {
      this.#group?.close();
      this.#group = this.#track.appendGroup();
    }
    if (this.#group === undefined) return;
    this.#group.writeFrame({ payload: encodeLegacyFrame(timestampUs, payload), timestamp: Moq.Time.Timestamp.fromMicros(timestampUs) });
  }

  /** End the rendition. */
  close(): void {
    this.#group?.close();
    this.#track.close();
  }
}

/** A locally published hang broadcast. */
export class LocalBroadcast {
  readonly producer = new Moq.Broadcast.Producer();
  readonly #catalog = new CatalogPublisher(this.producer);
  readonly #video = new Map<string, { config: VideoConfig; writer: MediaTrackWriter }>();
  readonly #audio = new Map<string, { config: AudioConfig; writer: MediaTrackWriter }>();
  #chat: ChatPublisher | undefined;
  #closed = false;

  constructor() {
    this.#publishCatalog();
  }

  /** Add the chat track (once) and advertise it in the catalog. */
  enableChat(): ChatPublisher {
    if (this.#chat === undefined) {
      this.#chat = new ChatPublisher(this.producer);
      this.#publishCatalog();
    }
    return this.#chat;
  }

  /** The chat publisher, if chat is enabled. */
  get chat(): ChatPublisher | undefined {
    return this.#chat;
  }

  /** Add a video rendition (track name e.g. "video/h264-360p"). */
  addVideo(name: string, config: VideoConfig): MediaTrackWriter {
    return this.#add(this.#video, name, config, TRACKS.videoPriority);
  }

  /** Add an audio rendition (track name e.g. "audio/opus"). */
  addAudio(name: string, config: AudioConfig): MediaTrackWriter {
    return this.#add(this.#audio, name, config, TRACKS.audioPriority);
  }

  /** Remove a rendition (camera off, mute): its track ends and the catalog no longer lists it. */
  remove(name: string): void {
    for (const map of [this.#video, this.#audio] as Map<string, { writer: MediaTrackWriter }>[]) {
      const r = map.get(name);
      if (r === undefined) continue;
      map.delete(name);
      r.writer.close();
      this.producer.removeTrack(name);
      this.#publishCatalog();
    }
  }

  /** The current catalog. */
  catalog(): Catalog {
    const c: Catalog = {};
    if (this.#video.size > 0) c.video = { renditions: Object.fromEntries([...this.#video].map(([n, r]) => [n, r.config])), priority: TRACKS.videoPriority };
    if (this.#audio.size > 0) c.audio = { renditions: Object.fromEntries([...this.#audio].map(([n, r]) => [n, r.config])) };
    if (this.#chat !== undefined) c.chat = { message: { name: TRACKS.chat.name, priority: TRACKS.chat.priority } };
    return c;
  }

  /** End every track, then the broadcast (closing the broadcast alone would leave subscribers' tracks open). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const r of [...this.#video.values(), ...this.#audio.values()]) r.writer.close();
    this.#chat?.close();
    this.#catalog.close();
    this.producer.close();
  }

  /** Resolves once the broadcast is closed. */
  get closed(): PromiseLike<unknown> {
    return this.producer.closed;
  }

  #add<C>(map: Map<string, { config: C; writer: MediaTrackWriter }>, name: string, config: C, priority: number): MediaTrackWriter {
    if (this.#video.has(name) || this.#audio.has(name)) throw new Error(`track ${name} exists`);
    const writer = new MediaTrackWriter(this.producer.createTrack(name, { priority, latencyMax: MEDIA_CACHE_MS, timescale: Moq.Time.Timescale.MICRO }));
    map.set(name, { config, writer });
    this.#publishCatalog();
    return writer;
  }

  #publishCatalog(): void {
    this.#catalog.publish(this.catalog());
  }
}
