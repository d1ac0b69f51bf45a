/** Errors raised while decoding bytes that came from another peer. */

/**
 * Malformed or out-of-bounds input from the wire. Decoders throw it; the session that owns the connection
 * decides whether to drop the message or close the peer (moq `net/src/error.ts` keeps the same split).
 */
export class ProtocolViolation extends Error {
  override name = "ProtocolViolation";
  /** Machine-readable reason, e.g. "truncated", "too-large", "trailing-bytes", "bad-varint". */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
