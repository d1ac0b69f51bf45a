/**
 * Reads the `catalog.json` track of a remote broadcast: one group per catalog version, its first frame
 * the JSON. Only the newest version matters, so versions queued behind it are skipped. The renderer twin
 * of main/media/catalog-track.ts `CatalogReader` (renderer/ may not import main/), returning a bad
 * catalog as a value rather than an exception, because it is an ordinary event for a player.
 */
import type * as Moq from "@moq/net";
import { ProtocolViolation } from "../../../shared/codec/errors.ts";
import { decodeCatalog, TRACKS, type Catalog } from "../../../shared/media/catalog.ts";

/** One read: a valid catalog, a rejected one (peer data that failed validation), or the end of the track. */
export type CatalogRead = { kind: "catalog"; catalog: Catalog } | { kind: "invalid"; reason: string } | { kind: "ended" };

/** Reads catalog versions in order, newest wins. */
export class CatalogReader {
  readonly #sub: Moq.Track.Subscriber;

  constructor(broadcast: Moq.Broadcast.Consumer) {
    this.#sub = broadcast.subscribe(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  }

  /** The next catalog version. Never throws: transport errors end the track. */
  async next(): Promise<CatalogRead> {
    try {
      let group = await this.#sub.recvGroup();
      for (let newer = this.#sub.tryRecvGroup(); newer !== undefined; newer = this.#sub.tryRecvGroup()) group = newer;
      if (group === undefined) return { kind: "ended" };
      const frame = await group.readFrame();
      if (frame === undefined) return { kind: "invalid", reason: "empty catalog group" };
      return { kind: "catalog", catalog: decodeCatalog(frame.payload) };
    } catch (err) {
      if (err instanceof ProtocolViolation) return { kind: "invalid", reason: err.message };
      return { kind: "ended" };
    }
  }

  /** Stop reading. */
  close(): void {
    this.#sub.close();
  }
}
