/**
 * The `catalog.json` track of a published broadcast: one group with one JSON frame per version.
 *
 * The newest group stays open until the next version replaces it: moq's track cache evicts *closed*
 * groups older than the track's latency window when a subscriber arrives, so a closed catalog group
 * would be gone for anyone joining later. main/media/catalog-track.ts does the same on the main side;
 * the renderer may not import main/, hence the twin.
 */
import * as Moq from "@moq/net";
import { encodeCatalog, TRACKS, type Catalog } from "../../../shared/media/catalog.ts";
import { wallClockMicros } from "./clock.ts";

/** Writes catalog versions, skipping a version identical to the last. */
export class CatalogTrack {
  readonly #track: Moq.Track.Producer;
  #current: Moq.Group.Producer | undefined;
  #last = "";

  constructor(broadcast: Moq.Broadcast.Producer) {
    this.#track = broadcast.createTrack(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  }

  /** Publish a catalog version. */
  write(catalog: Catalog): void {
    const bytes = encodeCatalog(catalog);
    const text = new TextDecoder().decode(bytes);
    if (text === this.#last) return;
    this.#last = text;
    const group = this.#track.appendGroup();
    group.writeFrame({ payload: bytes, timestamp: Moq.Time.Timestamp.fromMicros(wallClockMicros()) });
    this.#current?.close();
    this.#current = group;
  }

  /** End the track. */
  close(): void {
    this.#current?.close();
    this.#track.close();
  }
}
