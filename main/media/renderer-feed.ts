/**
 * The app's media sources: renditions the renderer encodes, relayed into a room broadcast.
 *
 * The renderer publishes its own hang broadcast (catalog + renditions) over the media link; this keeps a
 * {@link LocalBroadcast} listing the same renditions (so main can add the chat track beside them) and
 * serves each on demand from the renderer's track. A rendition the renderer drops from its catalog
 * (microphone muted, camera off) is dropped here too, which is what peers see.
 */
import type * as Moq from "@moq/net";
import type { AudioConfig, Catalog, VideoConfig } from "../../shared/media/catalog.ts";
import { TRACKS } from "../../shared/media/catalog.ts";
import type { Log } from "../log.ts";
import { CatalogReader } from "./catalog-track.ts";
import { forwardOnDemand } from "./forward.ts";
import type { LocalBroadcast, MediaTrackWriter } from "./local-broadcast.ts";

/** Which renditions of the source to take. */
export type MediaKind = "video" | "audio";

type Wanted = { kind: "video"; config: VideoConfig } | { kind: "audio"; config: AudioConfig };
type Rendition = { key: string; stop: AbortController };

/** The renditions of `kinds` a catalog lists, by track name. */
function renditionsOf(c: Catalog, kinds: readonly MediaKind[]): Map<string, Wanted> {
  const out = new Map<string, Wanted>();
  if (kinds.includes("video")) for (const [name, config] of Object.entries(c.video?.renditions ?? {})) out.set(name, { kind: "video", config });
  if (kinds.includes("audio")) for (const [name, config] of Object.entries(c.audio?.renditions ?? {})) out.set(name, { kind: "audio", config });
  return out;
}

/**
 * Mirror the `kinds` renditions of `source` into `target` until the returned function is called or the
 * source ends; either way the renditions are removed from `target` again.
 */
export function feedRenditions(source: Moq.Broadcast.Consumer, target: LocalBroadcast, kinds: readonly MediaKind[], log: Log): () => void {
  const active = new Map<string, Rendition>();
  const reader = new CatalogReader(source);
  let stopped = false;

  const drop = (name: string): void => {
    const r = active.get(name);
    if (r === undefined) return;
    active.delete(name);
    r.stop.abort();
    target.remove(name);
  };

  const apply = (catalog: Catalog): void => {
    const want = renditionsOf(catalog, kinds);
    for (const [name, r] of active) {
      const next = want.get(name);
      if (next === undefined || JSON.stringify(next.config) !== r.key) drop(name);
    }
    for (const [name, w] of want) {
      if (active.has(name)) continue;
      let writer: MediaTrackWriter;
      try {
        writer = w.kind === "video" ? target.addVideo(name, w.config) : target.addAudio(name, w.config);
      } catch (err) {
        log.warn("renderer rendition not relayed", { name, error: String(err) });
        continue;
      }
      const r: Rendition = { key: JSON.stringify(w.config), stop: new AbortController() };
      active.set(name, r);
      const priority = w.kind === "video" ? TRACKS.videoPriority : TRACKS.audioPriority;
      void forwardOnDemand(source, name, writer.track, { priority, signal: r.stop.signal, hop: "ui-in" }).catch((err: unknown) =>
        log.debug("rendition relay ended", { name, error: String(err) }),
      );
    }
  };

  void (async () => {
    try {
      for (let c = await reader.next(); c !== undefined && !stopped; c = await reader.next()) apply(c);
    } catch (err) {
      if (!stopped) log.warn("renderer broadcast catalog unusable", { error: String(err) });
    } finally {
      reader.close();
      for (const name of [...active.keys()]) drop(name);
    }
  })();

  return () => {
    stopped = true;
    reader.close();
    for (const name of [...active.keys()]) drop(name);
  };
}
