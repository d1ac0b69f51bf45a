/**
 * hang's "legacy" container: each MoQ frame is `QUIC varint(timestamp in µs)` ‖ raw codec payload, and a
 * new group starts at every keyframe. Any moq/hang player reads it.
 */
import { Varint } from "@moq/net";
import { ProtocolViolation } from "../codec/errors.ts";

/** One media frame with its presentation timestamp. */
export interface TimedFrame {
  timestampUs: number;
  payload: Uint8Array;
}

/** Encode a frame for the wire. */
export function encodeLegacyFrame(timestampUs: number, payload: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(timestampUs) || timestampUs < 0) throw new RangeError(`bad timestamp ${timestampUs}`);
  const ts = Varint.encode(timestampUs);
  const out = new Uint8Array(ts.length + payload.length);
  out.set(ts, 0);
  out.set(payload, ts.length);
  return out;
}

/** Decode a frame off the wire; throws {@link ProtocolViolation} when there is no complete timestamp. */
export function decodeLegacyFrame(frame: Uint8Array): TimedFrame {
  if (frame.length === 0) throw new ProtocolViolation("truncated", "empty media frame");
  const need = 1 << ((frame[0] ?? 0) >> 6);
  if (frame.length < need) throw new ProtocolViolation("truncated", "media frame ends inside its timestamp");
  const [ts, rest] = Varint.decode(frame);
  return { timestampUs: ts, payload: rest };
}
