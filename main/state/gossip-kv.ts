/**
 * Binds a {@link StateStore} to a room: gossipsub for live writes, state sync for newcomers, periodic
 * refresh of our own entries (so they never fall behind the horizon while we are alive) and expiry of
 * everyone else's.
 */
import type { Message, SubscriptionChangeData } from "@libp2p/gossipsub";
import type { PeerId, PrivateKey } from "@libp2p/interface";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import { decodeWireEntry, encodeWireEntry, type WireEntry } from "../../shared/codec/signed-value.ts";
import type { Log } from "../log.ts";
import type { RoomsNode } from "../net/node.ts";
import { systemNowNs, type Nanos } from "./clock.ts";
import { StateStore, STORE_DEFAULTS, type RejectReason } from "./store.ts";
import { fetchKvSnapshot, serveKvSync } from "./sync-protocol.ts";

/** The gossipsub topic string of a room (see docs/PROTOCOL.md). */
export function gossipTopic(topic: Uint8Array): string {
  return `/liverooms/room/1/${Buffer.from(topic).toString("hex")}`;
}

/** Where an accepted entry came from. */
export type EntrySource = "gossip" | "sync";

/** Construction parameters of {@link GossipKv}. */
export interface GossipKvInit {
  node: RoomsNode;
  topic: Uint8Array;
  privateKey: PrivateKey;
  log: Log;
  onEntry: (entry: WireEntry, previous: WireEntry | undefined, source: EntrySource) => void;
  onExpired: (entries: WireEntry[]) => void;
  now?: () => Nanos;
  horizonMs?: number;
  /** How often our own entries are re-signed and re-sent; must be well under the horizon. */
  refreshMs?: number;
  expiryCheckMs?: number;
}

/** Counters of what the room state refused, for logs and tests. */
export type KvRejections = Record<RejectReason | "malformed", number>;

/** The replicated room state as seen from this peer. */
export class GossipKv {
  readonly store: StateStore;
  readonly topicString: string;
  malformed = 0;
  readonly #init: GossipKvInit;
  readonly #own = new Map<string, Uint8Array>();
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #syncing = new Set<string>();
  #unserve: (() => void) | undefined;
  #stopped = false;

  private constructor(init: GossipKvInit) {
    this.#init = init;
    this.topicString = gossipTopic(init.topic);
    this.store = new StateStore({
      topic: init.topic,
      now: init.now ?? systemNowNs,
      horizonMs: init.horizonMs ?? STORE_DEFAULTS.horizonMs,
      maxSkewMs: STORE_DEFAULTS.maxSkewMs,
      maxValueBytes: STORE_DEFAULTS.maxValueBytes,
    });
  }

  /** Join the room's gossip topic and start serving and refreshing state. */
  static async start(init: GossipKvInit): Promise<GossipKv> {
    const kv = new GossipKv(init);
    const { node } = init;
    node.services.pubsub.addEventListener("message", kv.#onMessage);
    node.services.pubsub.addEventListener("subscription-change", kv.#onSubscriptionChange);
    node.services.pubsub.subscribe(kv.topicString);
    kv.#unserve = await serveKvSync(node, init.topic, () => kv.store.entries().map(encodeWireEntry));
    const horizon = init.horizonMs ?? STORE_DEFAULTS.horizonMs;
    kv.#timers.push(setInterval(() => void kv.#refresh(), init.refreshMs ?? Math.floor(horizon / 4)));
    kv.#timers.push(setInterval(() => kv.#expire(), init.expiryCheckMs ?? 5_000));
    return kv;
  }

  /** Everything refused so far, by reason. */
  rejections(): KvRejections {
    return { ...this.store.rejected, malformed: this.malformed };
  }

  /** Sign, store and gossip one of our own entries; it is refreshed until {@link stop}. */
  async put(key: string, value: Uint8Array): Promise<void> {
    this.#own.set(key, value);
    const entry = await this.store.putLocal(this.#init.privateKey, new TextEncoder().encode(key), value);
    await this.#publish(entry);
  }

  /** Pull a peer's full view of this room (deduplicated while one pull to that peer is running). */
  async syncFrom(peer: PeerId): Promise<void> {
    const id = peer.toString();
    if (this.#syncing.has(id) || this.#stopped) return;
    this.#syncing.add(id);
    try {
      const records = await fetchKvSnapshot(this.#init.node, peer, this.#init.topic);
      for (const rec of records) await this.#ingest(rec, undefined, "sync");
    } catch (err) {
      this.#init.log.debug("state sync failed", { peer: id, error: (err as Error).message });
    } finally {
      this.#syncing.delete(id);
    }
  }

  /** Stop refreshing, serving and listening. Does not write anything: a leave writes its tombstone first. */
  stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    const { pubsub } = this.#init.node.services;
    pubsub.removeEventListener("message", this.#onMessage);
    pubsub.removeEventListener("subscription-change", this.#onSubscriptionChange);
    try {
      pubsub.unsubscribe(this.topicString);
    } catch {
      // the node may already be stopping
    }
    this.#unserve?.();
    return Promise.resolve();
  }

  async #publish(entry: WireEntry): Promise<void> {
    try {
      await this.#init.node.services.pubsub.publish(this.topicString, encodeWireEntry(entry));
    } catch (err) {
      this.#init.log.warn("gossip publish failed", { error: (err as Error).message });
    }
  }

  async #refresh(): Promise<void> {
    for (const [key, value] of this.#own) await this.put(key, value);
  }

  #expire(): void {
    const gone = this.store.expire();
    if (gone.length > 0) this.#init.onExpired(gone);
  }

  async #ingest(bytes: Uint8Array, gossipFrom: Uint8Array | undefined, source: EntrySource): Promise<void> {
    let entry: WireEntry;
    try {
      entry = decodeWireEntry(bytes);
    } catch (err) {
      if (!(err instanceof ProtocolViolation)) throw err;
      this.malformed++;
      this.#init.log.warn("dropped malformed state entry", { source, error: err.message });
      return;
    }
    if (Buffer.from(entry.scope).equals(this.#init.privateKey.publicKey.raw)) return; // our own, echoed back
    const res = await this.store.acceptRemote(entry, gossipFrom);
    if (!res.accepted) {
      // Replays are routine (anti-entropy, several sync sources); everything else is worth a line.
      const fields = { source, reason: res.reason };
      if (res.reason === "replayed") this.#init.log.debug("refused state entry", fields);
      else this.#init.log.warn("refused state entry", fields);
      return;
    }
    if (!this.#stopped) this.#init.onEntry(res.entry, res.previous, source);
  }

  #onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail;
    if (msg.topic !== this.topicString) return;
    if (msg.type !== "signed") {
      this.malformed++;
      return;
    }
    const from = msg.from.publicKey?.raw;
    if (from === undefined) return;
    void this.#ingest(msg.data, from, "gossip");
  };

  #onSubscriptionChange = (evt: CustomEvent<SubscriptionChangeData>): void => {
    const { peerId, subscriptions } = evt.detail;
    if (subscriptions.some((s) => s.topic === this.topicString && s.subscribe)) void this.syncFrom(peerId);
  };
}
