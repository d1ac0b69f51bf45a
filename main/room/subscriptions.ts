/**
 * Subscriptions to other peers' broadcasts: every broadcast a present peer announces is subscribed
 * automatically, retried with backoff while it is still announced, and subscribed again after it ends
 * if the peer announces it again. Emits BroadcastSubscribed (after the catalog arrived), ChatReceived
 * (only after that broadcast's BroadcastSubscribed) and BroadcastEnded.
 */
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import type { PeerIdStr } from "../../shared/ids.ts";
import { chatTrackOf, type Catalog } from "../../shared/media/catalog.ts";
import type { Log } from "../log.ts";
import { CatalogReader } from "../media/catalog-track.ts";
import { readChat } from "../media/chat.ts";
import type { RoomEvent } from "./events.ts";
import type { RemoteBroadcastHandle, RoomMedia } from "./media-port.ts";
import { sleep, withTimeout } from "../util/abort.ts";

const BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000, 10_000];
const CATALOG_TIMEOUT_MS = 10_000;

interface Sub {
  remote: PeerIdStr;
  name: string;
  ctl: AbortController;
  handle: RemoteBroadcastHandle | undefined;
  /** Aborted to cut a retry wait short (the peer is reachable again). */
  nap: AbortController | undefined;
  /** Still listed in the peer's state; once not, the subscription ends with the broadcast, not before. */
  wanted: boolean;
}

/** Keeps subscriptions in line with what present peers announce. */
export class Subscriptions {
  readonly #media: RoomMedia;
  readonly #emit: (ev: RoomEvent) => void;
  readonly #log: Log;
  readonly #subs = new Map<string, Sub>();
  /**
   * The newest chat message delivered per remote broadcast (`remote/name`), kept for the life of the room:
   * every resubscription (a session that dropped and came back, a peer that left and returned within the
   * room) replays the sender's cached history, and what was already delivered must not show twice.
   */
  readonly #chatSeen = new Map<string, { seq: number; sentAt: number }>();

  constructor(media: RoomMedia, emit: (ev: RoomEvent) => void, log: Log) {
    this.#media = media;
    this.#emit = emit;
    this.#log = log;
  }

  /**
   * A present peer now announces exactly `names`: subscribe to new ones; stop trying for withdrawn ones.
   *
   * A withdrawn broadcast we are subscribed to is not cut here but ends when its MoQ announcement does
   * (as in iroh-live): state and MoQ travel separately, so a withdrawal can arrive after the same name was
   * already published again (screen off, on), and cutting then would end the new broadcast too.
   */
  announce(remote: PeerIdStr, names: readonly string[]): void {
    const want = new Set(names);
    for (const s of [...this.#subs.values()]) {
      if (s.remote !== remote) continue;
      s.wanted = want.has(s.name);
      if (!s.wanted && s.handle === undefined) this.#drop(s, "withdrawn");
    }
    for (const name of want) {
      const key = `${remote}/${name}`;
      if (this.#subs.has(key)) continue;
      const sub: Sub = { remote, name, ctl: new AbortController(), handle: undefined, nap: undefined, wanted: true };
      this.#subs.set(key, sub);
      void this.#run(sub);
    }
  }

  /** We connected to the peer again: retry its broadcasts now instead of at the end of their backoff. */
  reconnected(remote: PeerIdStr): void {
    for (const s of this.#subs.values()) if (s.remote === remote) s.nap?.abort();
  }

  /** The peer left: end everything of theirs (BroadcastEnded comes before the caller's PeerLeft). */
  peerGone(remote: PeerIdStr): void {
    for (const s of [...this.#subs.values()]) if (s.remote === remote) this.#drop(s, "peer left");
  }

  /** Stop everything. */
  close(): void {
    for (const s of [...this.#subs.values()]) this.#drop(s, "room closed", false);
  }

  #drop(s: Sub, reason: string, emit = true): void {
    this.#subs.delete(`${s.remote}/${s.name}`);
    s.ctl.abort();
    if (s.handle !== undefined) {
      s.handle.close();
      if (emit) this.#emit({ type: "BroadcastEnded", remote: s.remote, name: s.name, reason });
    }
  }

  /** Subscribe, serve, and resubscribe after an end while the broadcast is still wanted. */
  async #run(s: Sub): Promise<void> {
    const { signal } = s.ctl;
    for (let attempt = 0; !signal.aborted; ) {
      let handle: RemoteBroadcastHandle;
      let catalog: Catalog;
      try {
        handle = await this.#media.subscribe(s.remote, s.name, { signal });
        const reader = new CatalogReader(handle.consumer);
        try {
          catalog = await withTimeout(reader.next(), CATALOG_TIMEOUT_MS, signal).then((c) => {
            if (c === undefined) throw new Error("catalog track ended before a catalog");
            return c;
          });
        } catch (err) {
          reader.close();
          handle.close();
          throw err;
        }
        if (signal.aborted) {
          handle.close();
          return;
        }
        s.handle = handle;
        attempt = 0;
        this.#emit({ type: "BroadcastSubscribed", remote: s.remote, name: s.name, broadcast: handle, catalog });
        const reason = await this.#serve(s, handle, reader, catalog);
        if (signal.aborted) return; // dropped by announce()/peerGone(), which emitted BroadcastEnded
        s.handle = undefined;
        handle.close();
        this.#emit({ type: "BroadcastEnded", remote: s.remote, name: s.name, reason });
        if (!s.wanted) {
          this.#drop(s, reason, false);
          return;
        }
      } catch (err) {
        if (signal.aborted) return;
        const level = err instanceof ProtocolViolation ? "warn" : "debug";
        this.#log[level]("subscription failed", { remote: s.remote, name: s.name, attempt, error: (err as Error).message });
      }
      s.nap = new AbortController();
      await sleep(BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)] ?? 10_000, AbortSignal.any([signal, s.nap.signal]));
      if (s.nap.signal.aborted) attempt = 0;
      s.nap = undefined;
    }
  }

  /** Follow catalog updates and chat until the broadcast ends; returns why it ended. */
  async #serve(s: Sub, handle: RemoteBroadcastHandle, reader: CatalogReader, first: Catalog): Promise<string> {
    let chatStarted = false;
    const startChat = (c: Catalog): void => {
      const track = chatTrackOf(c);
      if (track === undefined || chatStarted) return;
      chatStarted = true;
      void this.#readChat(s, handle, track);
    };
    startChat(first);
    const ended = handle.ended.then(() => "ended");
    const updates = (async (): Promise<string> => {
      for (;;) {
        // A chat track enabled after we subscribed is picked up from the new catalog (iroh-live misses it).
        const c = await reader.next();
        if (c === undefined) return "catalog ended";
        startChat(c);
      }
    })().catch((err: unknown) => {
      if (err instanceof ProtocolViolation) {
        this.#log.warn("dropping broadcast with a malformed catalog", { remote: s.remote, name: s.name, error: err.message });
        return `malformed catalog: ${err.message}`;
      }
      return "catalog read failed";
    });
    try {
      return await Promise.race([ended, updates]);
    } finally {
      reader.close();
    }
  }

  async #readChat(s: Sub, handle: RemoteBroadcastHandle, track: string): Promise<void> {
    try {
      const onDrop = (err: ProtocolViolation): void => this.#log.warn("dropped chat frame", { remote: s.remote, error: err.message });
      const key = `${s.remote}/${s.name}`;
      for await (const m of readChat(handle.consumer, track, onDrop)) {
        if (s.handle !== handle) return;
        // A replay of the same track repeats both its group sequence and its send time; a broadcast published
        // anew starts its sequence again but at a later time. (Only a sender clock stepping back past its own
        // last message could make a new message look replayed.)
        const seen = this.#chatSeen.get(key);
        if (seen !== undefined && m.seq <= seen.seq && m.sentAt <= seen.sentAt) continue;
        this.#chatSeen.set(key, { seq: Math.max(m.seq, seen?.seq ?? 0), sentAt: Math.max(m.sentAt, seen?.sentAt ?? 0) });
        this.#emit({ type: "ChatReceived", remote: s.remote, text: m.text, sentAt: m.sentAt, receivedAt: Date.now(), history: m.history });
      }
    } catch (err) {
      this.#log.debug("chat track ended", { remote: s.remote, error: (err as Error).message });
    }
  }
}
