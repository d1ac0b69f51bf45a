/**
 * The app's {@link MediaSources} for {@link RoomPublisherSync}: what the renderer publishes on the media
 * link, relayed. The renderer's `camera` broadcast feeds the room's camera broadcast (video and audio
 * renditions; main adds chat); its `screen` broadcast feeds a fresh room `screen` broadcast each time
 * sharing starts. {@link RendererSources.update} turns "what the renderer publishes now" into the
 * publisher's next state, restarting a source whose renderer broadcast was replaced (e.g. a page reload).
 */
import type * as Moq from "@moq/net";
import type { Log } from "../log.ts";
import type { MediaSources, PublishOpts, RoomPublisherSync } from "./publisher-sync.ts";
import { feedRenditions } from "./renderer-feed.ts";

/** The renderer's broadcasts, by name. */
export interface RendererMedia {
  camera?: Moq.Broadcast.Consumer;
  screen?: Moq.Broadcast.Consumer;
}

const noop = (): void => undefined;

/** Sources reading whatever the renderer publishes at the moment they start. */
export class RendererSources {
  readonly #log: Log;
  #now: RendererMedia = {};
  #queue: Promise<void> = Promise.resolve();

  constructor(log: Log) {
    this.#log = log;
  }

  /** The sources to create the publisher with. */
  get sources(): MediaSources {
    return {
      camera: (target) => (this.#now.camera === undefined ? noop : feedRenditions(this.#now.camera, target, ["video"], this.#log)),
      audio: (target) => (this.#now.camera === undefined ? noop : feedRenditions(this.#now.camera, target, ["audio"], this.#log)),
      screen: (target) => (this.#now.screen === undefined ? noop : feedRenditions(this.#now.screen, target, ["video", "audio"], this.#log)),
    };
  }

  /** The renderer now publishes `next`: bring `publisher` in line (serialized; resolves when applied). */
  update(publisher: RoomPublisherSync, next: RendererMedia): Promise<void> {
    const run = this.#queue.then(async () => {
      const prev = this.#now;
      const want: PublishOpts = { camera: next.camera !== undefined, audio: next.camera !== undefined, screen: next.screen !== undefined };
      // A replaced broadcast means new tracks: stop the old feed first so the source restarts on the new one.
      const cur = publisher.state();
      const off: PublishOpts = {
        camera: cur.camera && prev.camera === next.camera,
        audio: cur.audio && prev.camera === next.camera,
        screen: cur.screen && prev.screen === next.screen,
      };
      if (off.camera !== cur.camera || off.audio !== cur.audio || off.screen !== cur.screen) await publisher.setState(off);
      this.#now = { ...next };
      await publisher.setState(want);
    });
    this.#queue = run.catch((err: unknown) => this.#log.warn("could not apply the renderer's broadcasts", { error: String(err) }));
    return run;
  }
}
