/**
 * The `catalog.json` track of a broadcast: one group with one JSON frame per catalog version.
 *
 * The newest group is left open until the next version replaces it: moq's track cache evicts *closed*
 * groups older than the track's latency window whenever a subscriber arrives, so a closed catalog
 * group would be gone for anyone joining more than a few seconds after the last catalog change.
 */
import * as Moq from "@moq/net";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import { decodeCatalog, encodeCatalog, TRACKS, type Catalog } from "../../shared/media/catalog.ts";
import { wallClockMicros } from "./time.ts";

/** Writes catalog versions, skipping ones identical to the last. */
export class CatalogPublisher {
  readonly #track: Moq.Track.Producer;
  #current: Moq.Group.Producer | undefined;
  #last = "";

  constructor(broadcast: Moq.Broadcast.Producer) {
    this.#track = broadcast.createTrack(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  }

  /** Publish a catalog version. */
  publish(catalog: Catalog): void {
    const bytes = encodeCatalog(catalog);
    const text = new TextDecoder().decode(bytes);
    if (text === this.#last) return;
    this.#last = text;
    const g = this.#track.appendGroup();
    g.writeFrame({ payload: bytes, timestamp: Moq.Time.Timestamp.fromMicros(wallClockMicros()) });
    this.#current?.close();
    this.#current = g;
  }

  /** End the track. */
  close(): void {
    this.#current?.close();
    this.#track.close();
  }
}

/** Reads catalog versions from a remote broadcast; each is validated (a bad one throws ProtocolViolation). */
export class CatalogReader {
  readonly #sub: Moq.Track.Subscriber;

  constructor(broadcast: Moq.Broadcast.Consumer) {
    this.#sub = broadcast.subscribe(TRACKS.catalog.name, { priority: TRACKS.catalog.priority, ordered: true });
  }

  /** The next catalog version, or undefined when the track ended. Stale versions queued behind it are skipped. */
  async next(): Promise<Catalog | undefined> {
    let group = await this.#sub.recvGroup();
    for (let newer = this.#sub.tryRecvGroup(); newer !== undefined; newer = this.#sub.tryRecvGroup()) group = newer;
    if (group === undefined) return undefined;
    const frame = await group.readFrame();
    if (frame === undefined) throw new ProtocolViolation("bad-catalog", "empty catalog group");
    return decodeCatalog(frame.payload);
  }

  /** Stop reading. */
  close(): void {
    this.#sub.close();
  }
}
