/**
 * The signed room-state store (our iroh-smol-kv): last-writer-wins entries keyed by (writer, key).
 *
 * Every remote entry is checked before it is stored, in this order, and each rejection is counted:
 *   oversized     value longer than `maxValueBytes`
 *   wrong-writer  arrived over gossip from a peer other than the entry's writer (peers gossip only their own state)
 *   future        timestamp more than `maxSkewMs` ahead of our clock
 *   expired       timestamp older than the horizon (a stale entry being replayed into the room)
 *   replayed      timestamp not strictly newer than what we hold for (writer, key)
 *   bad-signature signature does not verify under the writer's key for this room
 * The store is pure apart from signature checks; time comes from the injected clock.
 */
import { publicKeyFromRaw } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { signingBytes, type WireEntry } from "../../shared/codec/signed-value.ts";
import { msToNs, type Nanos } from "./clock.ts";

/** Why a remote entry was refused. */
export type RejectReason = "oversized" | "wrong-writer" | "future" | "expired" | "replayed" | "bad-signature";

/** Outcome of offering a remote entry to the store. */
export type AcceptResult =
  | { accepted: true; entry: WireEntry; previous: WireEntry | undefined }
  | { accepted: false; reason: RejectReason };

/** Construction parameters of {@link StateStore}. */
export interface StateStoreInit {
  /** 32-byte room topic; signatures are bound to it. */
  topic: Uint8Array;
  now: () => Nanos;
  /** Entries older than this are dropped and refused (iroh-live: 120 s). */
  horizonMs: number;
  /** How far in the future a timestamp may be before we refuse it. */
  maxSkewMs: number;
  /** Largest value accepted. */
  maxValueBytes: number;
}

/** Default limits, shared by every peer of a room. */
export const STORE_DEFAULTS = { horizonMs: 120_000, maxSkewMs: 10_000, maxValueBytes: 1024 } as const;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const slot = (scope: Uint8Array, key: Uint8Array): string => `${hex(scope)}/${hex(key)}`;

/** Last-writer-wins map of signed entries for one room. */
export class StateStore {
  readonly rejected: Record<RejectReason, number> = {
    oversized: 0, "wrong-writer": 0, future: 0, expired: 0, replayed: 0, "bad-signature": 0,
  };
  readonly #init: StateStoreInit;
  readonly #entries = new Map<string, WireEntry>();
  #lastLocal: Nanos = 0n;

  constructor(init: StateStoreInit) {
    this.#init = init;
  }

  /** Check and store a remote entry. `gossipFrom` is the raw key of the gossipsub publisher, when it came over gossip. */
  async acceptRemote(entry: WireEntry, gossipFrom?: Uint8Array): Promise<AcceptResult> {
    const reason = await this.#check(entry, gossipFrom);
    if (reason !== undefined) {
      this.rejected[reason]++;
      return { accepted: false, reason };
    }
    const id = slot(entry.scope, entry.key);
    const previous = this.#entries.get(id);
    this.#entries.set(id, entry);
    return { accepted: true, entry, previous };
  }

  async #check(entry: WireEntry, gossipFrom?: Uint8Array): Promise<RejectReason | undefined> {
    const { now, horizonMs, maxSkewMs, maxValueBytes, topic } = this.#init;
    const ts = entry.signed.timestamp;
    if (entry.signed.value.length > maxValueBytes) return "oversized";
    if (gossipFrom !== undefined && hex(gossipFrom) !== hex(entry.scope)) return "wrong-writer";
    const t = now();
    if (ts > t + msToNs(maxSkewMs)) return "future";
    if (ts < t - msToNs(horizonMs)) return "expired";
    const held = this.#entries.get(slot(entry.scope, entry.key));
    if (held !== undefined && ts <= held.signed.timestamp) return "replayed";
    // Verify last: it is the expensive check, and everything above is cheap to refuse.
    let ok = false;
    try {
      const pub = publicKeyFromRaw(entry.scope);
      ok = await pub.verify(signingBytes(topic, entry.key, ts, entry.signed.value), entry.signed.signature);
    } catch {
      ok = false;
    }
    return ok ? undefined : "bad-signature";
  }

  /** Sign and store a local write. Timestamps of local writes strictly increase even if the clock stalls. */
  async putLocal(privateKey: PrivateKey, key: Uint8Array, value: Uint8Array): Promise<WireEntry> {
    if (privateKey.type !== "Ed25519") throw new TypeError("room state needs an Ed25519 key");
    let ts = this.#init.now();
    if (ts <= this.#lastLocal) ts = this.#lastLocal + 1n;
    this.#lastLocal = ts;
    const signature = await privateKey.sign(signingBytes(this.#init.topic, key, ts, value));
    const entry: WireEntry = { scope: privateKey.publicKey.raw, key, signed: { timestamp: ts, value, signature } };
    this.#entries.set(slot(entry.scope, key), entry);
    return entry;
  }

  /** The entry held for (scope, key). */
  get(scope: Uint8Array, key: Uint8Array): WireEntry | undefined {
    return this.#entries.get(slot(scope, key));
  }

  /** Every entry held, in no particular order. */
  entries(): WireEntry[] {
    return [...this.#entries.values()];
  }

  /** Drop and return entries that fell behind the horizon (the caller decides what a departure means). */
  expire(): WireEntry[] {
    const limit = this.#init.now() - msToNs(this.#init.horizonMs);
    const gone: WireEntry[] = [];
    for (const [id, e] of this.#entries) {
      if (e.signed.timestamp < limit) {
        this.#entries.delete(id);
        gone.push(e);
      }
    }
    return gone;
  }
}
