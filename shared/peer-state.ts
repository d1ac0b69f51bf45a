/**
 * The value under a peer's room-state key "s": which broadcasts it publishes and its display name.
 *
 * Layout (postcard, byte-identical to iroh-live's `rooms.rs` `PeerState { broadcasts: Vec<String>,
 * display_name: Option<String> }`):
 *   varint(count) ‖ count × (varint(len) ‖ UTF-8)     broadcasts
 *   0x00 | 0x01 ‖ varint(len) ‖ UTF-8                 display_name (None is always written: iroh-live once
 *                                                     skipped it and that broke rooms entirely)
 */
import { PostcardWriter, decodeExact } from "./codec/postcard.ts";

/** What a peer announces about itself (iroh-live `PeerState`). */
export interface PeerState {
  broadcasts: string[];
  displayName?: string;
}

/** State key holding a peer's {@link PeerState} (iroh-live `PEER_STATE_KEY`, the single byte 0x73). */
export const PEER_STATE_KEY = "s";

// Limits are ours, not iroh-live's (it has none beyond the 4 KiB gossip message): they keep one peer's state
// small enough to render and to fit the store's value cap many times over. Lengths are UTF-8 bytes.
/** Most broadcasts one peer may announce. */
export const MAX_BROADCASTS = 16;
/** Longest broadcast name, in UTF-8 bytes. */
export const MAX_BROADCAST_NAME_BYTES = 64;
/** Longest display name, in UTF-8 bytes. */
export const MAX_DISPLAY_NAME_BYTES = 64;

const utf8 = new TextEncoder();

/** Encode a state; throws RangeError if it exceeds the limits peers enforce on decode. */
export function encodePeerState(state: PeerState): Uint8Array {
  if (state.broadcasts.length > MAX_BROADCASTS) {
    throw new RangeError(`at most ${MAX_BROADCASTS} broadcasts, got ${state.broadcasts.length}`);
  }
  for (const name of state.broadcasts) checkLength(name, MAX_BROADCAST_NAME_BYTES, "broadcast name");
  if (state.displayName !== undefined) checkLength(state.displayName, MAX_DISPLAY_NAME_BYTES, "display name");
  const w = new PostcardWriter();
  w.vec(state.broadcasts, (w2, name) => w2.string(name));
  w.option(state.displayName, (w2, name) => w2.string(name));
  return w.finish();
}

/** Decode a state; throws ProtocolViolation on malformed, oversized or trailing input. */
export function decodePeerState(bytes: Uint8Array): PeerState {
  return decodeExact(bytes, (r) => {
    const broadcasts = r.vec(MAX_BROADCASTS, (r2) => r2.string(MAX_BROADCAST_NAME_BYTES));
    const displayName = r.option((r2) => r2.string(MAX_DISPLAY_NAME_BYTES));
    // Omit rather than store `undefined`, so a decoded state deep-equals the one that was encoded.
    return displayName === undefined ? { broadcasts } : { broadcasts, displayName };
  });
}

function checkLength(s: string, max: number, what: string): void {
  const len = utf8.encode(s).length;
  if (len > max) throw new RangeError(`${what} is ${len} bytes, the limit is ${max}`);
}
