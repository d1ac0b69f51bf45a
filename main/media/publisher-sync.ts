/**
 * `RoomPublisherSync` (iroh-live `rooms/publisher.rs`): keeps this peer's broadcasts in line with what
 * the user wants to send.
 *
 * - `camera`: always published; carries camera video, microphone audio and the chat track.
 * - `screen`: created when screen sharing turns on, closed when it turns off, created fresh when it turns
 *   on again (so remote peers see BroadcastSubscribed, BroadcastEnded, BroadcastSubscribed).
 * Capture and encoding are outside: `sources` start feeding renditions into a broadcast and return the
 * function that stops them (the CLI uses the test clip; the app feeds frames the renderer encoded).
 */
import type { RoomHandle } from "../room/room.ts";
import { LocalBroadcast } from "./local-broadcast.ts";

/** What to send (iroh-live `PublishOpts` without the capture details). */
export interface PublishOpts {
  camera: boolean;
  audio: boolean;
  screen: boolean;
}

/** Starts a media source on a broadcast; the result stops it. */
export type SourceStarter = (broadcast: LocalBroadcast) => () => void;

/** The sources the publisher can turn on. */
export interface MediaSources {
  camera?: SourceStarter;
  audio?: SourceStarter;
  screen?: SourceStarter;
}

/** Broadcast names used in rooms (iroh-live `Broadcasts` enum, lowercase). */
export const BROADCASTS = { camera: "camera", screen: "screen" } as const;

/** Keeps the camera and screen broadcasts of one room in line with {@link PublishOpts}. */
export class RoomPublisherSync {
  readonly camera = new LocalBroadcast();
  readonly #room: RoomHandle;
  readonly #sources: MediaSources;
  #opts: PublishOpts = { camera: false, audio: false, screen: false };
  #screen: LocalBroadcast | undefined;
  readonly #stops: Partial<Record<keyof PublishOpts, () => void>> = {};

  private constructor(room: RoomHandle, sources: MediaSources) {
    this.#room = room;
    this.#sources = sources;
  }

  /** Publish the camera broadcast (with chat) into the room and register it as the chat publisher. */
  static async create(room: RoomHandle, sources: MediaSources): Promise<RoomPublisherSync> {
    const p = new RoomPublisherSync(room, sources);
    const chat = p.camera.enableChat();
    await room.publish(BROADCASTS.camera, p.camera);
    await room.setChatPublisher(chat);
    return p;
  }

  /** The current options. */
  state(): PublishOpts {
    return { ...this.#opts };
  }

  /** Apply new options: start and stop sources, create or close the screen broadcast. */
  async setState(next: PublishOpts): Promise<void> {
    const prev = this.#opts;
    this.#opts = { ...next };
    this.#toggle("camera", prev.camera, next.camera, this.camera);
    this.#toggle("audio", prev.audio, next.audio, this.camera);
    if (next.screen && !prev.screen) {
      const screen = new LocalBroadcast();
      this.#screen = screen;
      this.#toggle("screen", false, true, screen);
      await this.#room.publish(BROADCASTS.screen, screen);
    } else if (!next.screen && prev.screen) {
      this.#toggle("screen", true, false, undefined);
      const screen = this.#screen;
      this.#screen = undefined;
      await this.#room.unpublish(BROADCASTS.screen);
      screen?.close();
    }
  }

  /** Stop every source and close both broadcasts. */
  close(): void {
    for (const stop of Object.values(this.#stops)) stop?.();
    this.#screen?.close();
    this.camera.close();
  }

  #toggle(kind: keyof PublishOpts, was: boolean, now: boolean, target: LocalBroadcast | undefined): void {
    if (was === now) return;
    if (now && target !== undefined) {
      const start = this.#sources[kind];
      if (start !== undefined) this.#stops[kind] = start(target);
    } else {
      this.#stops[kind]?.();
      delete this.#stops[kind];
    }
  }
}
