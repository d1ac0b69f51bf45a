/**
 * A minimal postcard codec (the serde format iroh-live uses on the wire, https://postcard.jamesmunns.com/wire-format).
 *
 * Postcard is positional: structs are their fields in order, with no names or tags. Unsigned integers above u8
 * are unsigned LEB128 varints; byte strings and strings are `varint(len)` ‖ bytes; `Option` is a u8 tag
 * (0 = None, 1 = Some) followed by the value; sequences are `varint(count)` ‖ elements.
 *
 * The reader is for untrusted input: every length is checked against its cap and against the remaining
 * input before anything is allocated, and every failure is a {@link ProtocolViolation}.
 */
import { ProtocolViolation } from "./errors.ts";

/** Largest value of a postcard u64. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** A u64 varint takes at most 10 bytes (9 × 7 bits + 1 bit). */
const MAX_VARINT_BYTES = 10;

// Strings must be valid UTF-8, as Rust's `String` is. `ignoreBOM` keeps a leading U+FEFF as content, as Rust does.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** Builds one postcard message. Methods throw RangeError on values the format cannot carry (a local bug). */
export class PostcardWriter {
  #buf = new Uint8Array(64);
  #len = 0;

  /** A single byte. */
  u8(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`u8 out of range: ${n}`);
    this.#reserve(1)[0] = n;
    return this;
  }

  /**
   * An unsigned LEB128 varint (postcard u16/u32/u64/usize).
   *
   * Written by hand rather than with uint8-varint: that library stops at 2^53, and postcard u64 fields
   * (nanosecond timestamps) need the full range up to 2^64-1, so values above 2^53 go through bigint.
   */
  varint(n: number | bigint): this {
    if (typeof n === "number") {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`varint must be a non-negative integer: ${n}`);
      if (n > Number.MAX_SAFE_INTEGER) return this.varint(BigInt(n));
      while (n >= 0x80) {
        this.u8((n % 0x80) | 0x80);
        n = Math.floor(n / 0x80);
      }
      return this.u8(n);
    }
    if (n < 0n || n > U64_MAX) throw new RangeError(`varint out of u64 range: ${n}`);
    while (n >= 0x80n) {
      this.u8(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    return this.u8(Number(n));
  }

  /** A byte string: `varint(len)` ‖ bytes (postcard `&[u8]` / `Bytes` / `Vec<u8>`). */
  bytes(b: Uint8Array): this {
    this.varint(b.length);
    return this.fixed(b);
  }

  /** Raw bytes with no length prefix (postcard `[u8; N]`). */
  fixed(b: Uint8Array): this {
    this.#reserve(b.length).set(b);
    return this;
  }

  /** A UTF-8 string: `varint(byte length)` ‖ bytes. */
  string(s: string): this {
    return this.bytes(utf8Encoder.encode(s));
  }

  /** An `Option<T>`: 0x00 for None (`undefined`), 0x01 ‖ value for Some. None is always written, never skipped. */
  option<T>(v: T | undefined, fn: (w: PostcardWriter, value: T) => void): this {
    if (v === undefined) return this.u8(0);
    this.u8(1);
    fn(this, v);
    return this;
  }

  /** A `Vec<T>`: `varint(count)` ‖ each element. */
  vec<T>(items: readonly T[], fn: (w: PostcardWriter, item: T) => void): this {
    this.varint(items.length);
    for (const item of items) fn(this, item);
    return this;
  }

  /** The bytes written so far (a copy; the writer may keep going). */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }

  /** Grow the buffer to fit `n` more bytes and return the view to fill. */
  #reserve(n: number): Uint8Array {
    const end = this.#len + n;
    if (end > this.#buf.length) {
      const next = new Uint8Array(Math.max(end, this.#buf.length * 2));
      next.set(this.#buf.subarray(0, this.#len));
      this.#buf = next;
    }
    const view = this.#buf.subarray(this.#len, end);
    this.#len = end;
    return view;
  }
}

/** Reads one postcard message from untrusted bytes; every failure throws {@link ProtocolViolation}. */
export class PostcardReader {
  readonly #buf: Uint8Array;
  #pos = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  /** A single byte. */
  u8(): number {
    this.#need(1);
    return this.#buf[this.#pos++] as number;
  }

  /** A varint that must fit in a JS number (≤ 2^53-1); use {@link varintBig} for full u64 fields. */
  varint(): number {
    const first = this.#buf[this.#pos];
    if (first !== undefined && first < 0x80) {
      this.#pos++;
      return first;
    }
    const v = this.varintBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolViolation("too-large", `varint ${v} exceeds 2^53-1`);
    return Number(v);
  }

  /**
   * A u64 varint. Rejects encodings longer than 10 bytes, values above 2^64-1, and non-canonical (overlong)
   * encodings such as `80 00` for 0: postcard itself accepts those, but then two byte strings would mean the
   * same message, and signed or deduplicated messages must have exactly one encoding.
   */
  varintBig(): bigint {
    const start = this.#pos;
    let value = 0n;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.u8();
      // The 10th byte carries only bit 63; anything more (or a continuation bit) overflows u64.
      if (i === MAX_VARINT_BYTES - 1 && b > 0x01) throw new ProtocolViolation("bad-varint", `varint at ${start} overflows u64`);
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) {
        if (b === 0 && i > 0) throw new ProtocolViolation("bad-varint", `overlong varint at ${start}`);
        return value;
      }
    }
    throw new ProtocolViolation("bad-varint", `varint at ${start} is longer than ${MAX_VARINT_BYTES} bytes`);
  }

  /** A length-prefixed byte string of at most `max` bytes (a copy, so it does not pin the input buffer). */
  bytes(max: number): Uint8Array {
    const len = this.#length(max, "byte string");
    return this.fixed(len);
  }

  /** Exactly `n` raw bytes (a copy). */
  fixed(n: number): Uint8Array {
    this.#need(n);
    const out = this.#buf.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  /** A UTF-8 string of at most `max` bytes; invalid UTF-8 is a violation, never replaced with U+FFFD. */
  string(max: number): string {
    const len = this.#length(max, "string");
    const view = this.#buf.subarray(this.#pos, this.#pos + len);
    let s: string;
    try {
      s = utf8Decoder.decode(view);
    } catch (err) {
      throw new ProtocolViolation("bad-utf8", `invalid UTF-8 in string at ${this.#pos}`, { cause: err });
    }
    this.#pos += len;
    return s;
  }

  /** An `Option<T>`: tag 0 → `undefined`, tag 1 → `fn(reader)`, any other tag is a violation. */
  option<T>(fn: (r: PostcardReader) => T): T | undefined {
    const at = this.#pos;
    const tag = this.u8();
    if (tag === 0) return undefined;
    if (tag === 1) return fn(this);
    throw new ProtocolViolation("bad-option", `option tag ${tag} at ${at} is neither 0 nor 1`);
  }

  /** A `Vec<T>` of at most `maxCount` elements. */
  vec<T>(maxCount: number, fn: (r: PostcardReader) => T): T[] {
    // Checked against the remaining input too: every postcard value this app decodes takes at least one byte
    // (none is a zero-sized type), so a larger count can only be truncation or a lie.
    const count = this.#length(maxCount, "sequence");
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(fn(this));
    return out;
  }

  /** Assert the whole input was consumed. */
  end(): void {
    if (this.remaining !== 0) {
      throw new ProtocolViolation("trailing-bytes", `${this.remaining} unexpected bytes after the message`);
    }
  }

  /** Read a length prefix and check it against `max` and the remaining input. */
  #length(max: number, what: string): number {
    const len = this.varint();
    if (len > max) throw new ProtocolViolation("too-large", `${what} length ${len} exceeds the limit of ${max}`);
    this.#need(len);
    return len;
  }

  #need(n: number): void {
    if (n > this.remaining) {
      throw new ProtocolViolation("truncated", `input ends ${n - this.remaining} bytes early at offset ${this.#pos}`);
    }
  }
}

/** Decode one message with `fn` and require that it consumed every byte. */
export function decodeExact<T>(bytes: Uint8Array, fn: (r: PostcardReader) => T): T {
  const r = new PostcardReader(bytes);
  const value = fn(r);
  r.end();
  return value;
}
