/**
 * Wire layout of one room-state entry, after iroh-smol-kv's `GossipMessage::SignedValue`.
 *
 * Gossip message (postcard):
 *   varint(0)              enum tag: SignedValue (the only variant)
 *   [u8; 32]               scope: the writer's raw Ed25519 public key
 *   varint(len) ‖ bytes    key (e.g. "s" for PeerState)
 *   varint(u64)            timestamp: nanoseconds since the UNIX epoch, writer's wall clock
 *   varint(len) ‖ bytes    value (empty = tombstone)
 *   [u8; 64]               Ed25519 signature by `scope` over {@link signingBytes}
 *
 * The same bytes travel in gossipsub messages and in state-sync responses.
 */
import { ProtocolViolation } from "./errors.ts";
import { PostcardReader, PostcardWriter, decodeExact } from "./postcard.ts";

/** Length of a raw Ed25519 public key. */
export const SCOPE_BYTES = 32;
/** Length of an Ed25519 signature. */
export const SIGNATURE_BYTES = 64;
/** Longest key accepted off the wire. */
export const MAX_KEY_BYTES = 64;
/** Longest value the decoder reads; the store applies a tighter, counted cap (see state/store.ts). */
export const MAX_WIRE_VALUE_BYTES = 4096;
/** Domain separation prefix of every signature (see {@link signingBytes}). */
export const SIGNING_DOMAIN = new TextEncoder().encode("liverooms/kv/1\0");

/** A value with its timestamp and signature (iroh-smol-kv `SignedValue`). */
export interface SignedValue {
  timestamp: bigint;
  value: Uint8Array;
  signature: Uint8Array;
}

/** One entry as it travels: who wrote it, under which key, and the signed value. */
export interface WireEntry {
  scope: Uint8Array;
  key: Uint8Array;
  signed: SignedValue;
}

/** Encode an entry as a gossip message. */
export function encodeWireEntry(entry: WireEntry): Uint8Array {
  if (entry.scope.length !== SCOPE_BYTES) throw new RangeError("scope must be 32 bytes");
  if (entry.signed.signature.length !== SIGNATURE_BYTES) throw new RangeError("signature must be 64 bytes");
  const w = new PostcardWriter();
  w.varint(0);
  w.fixed(entry.scope);
  w.bytes(entry.key);
  w.varint(entry.signed.timestamp);
  w.bytes(entry.signed.value);
  w.fixed(entry.signed.signature);
  return w.finish();
}

/** Decode a gossip message; throws {@link ProtocolViolation} on anything but one exact entry. */
export function decodeWireEntry(bytes: Uint8Array): WireEntry {
  return decodeExact(bytes, (r: PostcardReader) => {
    const tag = r.varint();
    if (tag !== 0) throw new ProtocolViolation("unknown-variant", `unknown gossip message variant ${tag}`);
    const scope = r.fixed(SCOPE_BYTES);
    const key = r.bytes(MAX_KEY_BYTES);
    const timestamp = r.varintBig();
    const value = r.bytes(MAX_WIRE_VALUE_BYTES);
    const signature = r.fixed(SIGNATURE_BYTES);
    return { scope, key, signed: { timestamp, value, signature } };
  });
}

/**
 * The bytes a writer signs: `SIGNING_DOMAIN ‖ topic ‖ postcard(SigningData { key, timestamp, value })`.
 *
 * iroh-smol-kv signs only `postcard(SigningData)`. We prefix a domain and the 32-byte room topic so that a
 * signed entry cannot be replayed into another room (or another protocol) by a peer that sits in both.
 */
export function signingBytes(topic: Uint8Array, key: Uint8Array, timestamp: bigint, value: Uint8Array): Uint8Array {
  const w = new PostcardWriter();
  w.fixed(SIGNING_DOMAIN);
  w.fixed(topic);
  w.bytes(key);
  w.varint(timestamp);
  w.bytes(value);
  return w.finish();
}
