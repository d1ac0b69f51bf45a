/**
 * Length-prefixed records: unsigned-varint byte length ‖ bytes. QMux needs message boundaries (each
 * WebSocket message is one QMux record) and a libp2p stream is a byte pipe, so every record carries its
 * length. The decoder is exact: a minimal varint, no empty record, nothing above the cap; anything else
 * is a ProtocolViolation and the owner of the stream closes it.
 */
import { decode as decodeVarint, encodeUint8Array, encodingLength } from "uint8-varint";
import { ProtocolViolation } from "../../shared/codec/errors.ts";

/** Default cap on one record (QMux itself never sends more than 16 KiB per record). */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** Bytes the header of a record of `len` bytes takes. */
export function recordHeaderLength(len: number): number {
  return encodingLength(len);
}

/** Write the length header of a `len`-byte record into `buf` at `offset`; returns the header length. */
export function writeRecordHeader(len: number, buf: Uint8Array, offset: number): number {
  encodeUint8Array(len, buf, offset);
  return encodingLength(len);
}

/**
 * Incremental decoder: feed stream chunks in, get whole records out. A record that sits in one chunk is
 * returned as a view of it; one spread over several chunks is assembled into a buffer allocated once its
 * length is known, so tiny chunks cost no more than big ones.
 */
export class RecordDecoder {
  readonly #maxRecord: number;
  readonly #maxHeader: number;
  // Length-prefix bytes seen so far (a prefix can straddle chunks).
  readonly #head: Uint8Array;
  #headLen = 0;
  // The record being assembled.
  #body: Uint8Array | undefined;
  #filled = 0;

  constructor(maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES) {
    this.#maxRecord = maxRecordBytes;
    this.#maxHeader = encodingLength(maxRecordBytes);
    this.#head = new Uint8Array(this.#maxHeader);
  }

  /** Bytes received but not yet returned as records. */
  get buffered(): number {
    return this.#headLen + this.#filled;
  }

  /** Add received bytes; returns every record they complete. Throws ProtocolViolation on bad input. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let off = 0;
    while (off < chunk.byteLength) {
      if (this.#body !== undefined) {
        const k = Math.min(this.#body.byteLength - this.#filled, chunk.byteLength - off);
        this.#body.set(chunk.subarray(off, off + k), this.#filled);
        this.#filled += k;
        off += k;
        if (this.#filled === this.#body.byteLength) {
          out.push(this.#body);
          this.#body = undefined;
          this.#filled = 0;
        }
        continue;
      }
      const b = chunk[off++]!;
      if (this.#headLen === this.#maxHeader) throw new ProtocolViolation("too-large", `record length prefix exceeds ${this.#maxHeader} bytes`);
      this.#head[this.#headLen++] = b;
      if ((b & 0x80) !== 0) continue;
      const len = this.#length();
      if (chunk.byteLength - off >= len) {
        out.push(chunk.subarray(off, off + len));
        off += len;
      } else {
        this.#body = new Uint8Array(len);
      }
    }
    // A prefix of continuation bytes only is fine unless it already exceeds any allowed length.
    if (this.#headLen === this.#maxHeader && (this.#head[this.#maxHeader - 1]! & 0x80) !== 0) {
      throw new ProtocolViolation("too-large", `record length prefix exceeds ${this.#maxHeader} bytes`);
    }
    return out;
  }

  /** The stream ended: throws if a record was cut off. */
  finish(): void {
    if (this.buffered > 0) throw new ProtocolViolation("truncated", `stream ended inside a record (${this.buffered} bytes pending)`);
  }

  // The length prefix in #head is complete: validate it and reset the prefix state.
  #length(): number {
    const n = this.#headLen;
    this.#headLen = 0;
    const len = decodeVarint(this.#head.subarray(0, n));
    if (encodingLength(len) !== n) throw new ProtocolViolation("bad-varint", "record length is not minimally encoded");
    if (len === 0) throw new ProtocolViolation("empty-record", "zero-length record");
    if (len > this.#maxRecord) throw new ProtocolViolation("too-large", `record of ${len} bytes exceeds the ${this.#maxRecord}-byte cap`);
    return len;
  }
}
