/**
 * The value under a peer's room-state key "a": the addresses other peers can dial it at.
 *
 * Layout (postcard): `varint(count)` ‖ count × (`varint(len)` ‖ binary multiaddr, without /p2p/<id>).
 * Kept apart from PeerState (key "s") so that entry stays byte-identical to iroh-live's.
 */
import { multiaddr } from "@multiformats/multiaddr";
import { ProtocolViolation } from "./codec/errors.ts";
import { PostcardWriter, decodeExact } from "./codec/postcard.ts";

/** State key holding a peer's dialable addresses. */
export const PEER_ADDRS_KEY = "a";
/** Most addresses a peer may advertise. */
export const MAX_PEER_ADDRS = 16;
/** Longest binary multiaddr accepted. */
export const MAX_ADDR_BYTES = 128;

/** Encode addresses (multiaddr strings), keeping the first {@link MAX_PEER_ADDRS}. */
export function encodePeerAddrs(addrs: readonly string[]): Uint8Array {
  const w = new PostcardWriter();
  w.vec(addrs.slice(0, MAX_PEER_ADDRS), (w2, a) => w2.bytes(multiaddr(a).bytes));
  return w.finish();
}

/** Decode addresses; throws {@link ProtocolViolation} on malformed input. */
export function decodePeerAddrs(bytes: Uint8Array): string[] {
  return decodeExact(bytes, (r) =>
    r.vec(MAX_PEER_ADDRS, (r2) => {
      const raw = r2.bytes(MAX_ADDR_BYTES);
      try {
        return multiaddr(raw).toString();
      } catch (err) {
        throw new ProtocolViolation("bad-address", `invalid multiaddr: ${(err as Error).message}`);
      }
    }),
  );
}
