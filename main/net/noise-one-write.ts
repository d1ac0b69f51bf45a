/**
 * libp2p's noise encrypter, sending each noise message as one buffer (and reading them without an exception per read).
 *
 * @libp2p/noise 17 builds every transport message as a list of two buffers, the 2-byte length and the
 * ciphertext, and @libp2p/tcp writes each buffer of a list with its own `socket.write`. With Nagle off
 * (libp2p's default) that is two syscalls and two TCP segments per message, the first carrying 2 bytes:
 * measured on a 2-peer call, half of a core's ~280 writes/s to its peer were 2-byte prefixes. Noise fixed
 * this once (ChainSafe/js-libp2p-noise#387, "concatenate encrypted data length prefix with data before
 * sending") and the stream rewrite lost it; this wrapper restores it without forking the library. The
 * copy it costs is one message (≤ 64 KiB), already in cache. What it saves is on the wire (half the
 * segments, none of them 2-byte ones); the CPU it saves a core on loopback was within the noise.
 *
 * The same wrapper replaces the read side's decoder. noise's reports "the 2-byte length has not arrived
 * yet" by throwing a RangeError, which its decode loop catches; the loop asks once more after every message
 * it takes, so every TCP read ends in an exception: `uint16BEDecode` was the costliest function of the
 * core's libp2p stack in a call's CPU profile (~2 % of a core), still ~2 % of the core's time with one
 * preallocated error thrown instead (the throw itself is what costs). {@link NoiseMessageDecoder} frames
 * the same bytes with a loop that simply stops.
 */
import { noise, type NoiseExtensions, type NoiseInit } from "@libp2p/noise";
import type { ConnectionEncrypter, SecuredConnection } from "@libp2p/interface";

type NoiseComponents = Parameters<ReturnType<typeof noise>>[0];

/** A list of buffers (uint8arraylist's, as noise returns), of which `subarray()` is one joined copy. */
interface BufferList {
  subarray(): Uint8Array;
}

/** The part of noise's encrypted stream this relies on: `encrypt` turns plaintext into wire bytes. */
interface Encrypting {
  encrypt(chunk: unknown): Uint8Array | BufferList;
}

/** The part of noise's encrypted stream's read side this relies on: the decoder its 'message' handler runs. */
interface Decoding {
  decoder: { decode: unknown };
}

const EMPTY = new Uint8Array(0);

/**
 * noise's transport framing, read: a 2-byte big-endian length, then that many bytes of ciphertext. It
 * yields each complete message as a view: of the chunk itself when nothing was pending, else of a fresh
 * joined copy; a buffer it has handed out is never written again. At most one message (< 64 KiB + 2) is
 * ever pending, as every complete one is yielded at once. Empty messages are skipped, as noise's own
 * decoder does.
 */
export class NoiseMessageDecoder {
  #pending: Uint8Array = EMPTY;

  *decode(chunk: Uint8Array | BufferList): Generator<Uint8Array, void, undefined> {
    const bytes = chunk instanceof Uint8Array ? chunk : chunk.subarray();
    let buf = bytes;
    if (this.#pending.byteLength > 0) {
      buf = new Uint8Array(this.#pending.byteLength + bytes.byteLength);
      buf.set(this.#pending, 0);
      buf.set(bytes, this.#pending.byteLength);
    }
    this.#pending = EMPTY;
    let at = 0;
    while (buf.byteLength - at >= 2) {
      const len = (buf[at]! << 8) | buf[at + 1]!;
      if (buf.byteLength - at - 2 < len) break;
      const message = buf.subarray(at + 2, at + 2 + len);
      at += 2 + len;
      if (len > 0) yield message;
    }
    if (at < buf.byteLength) this.#pending = buf.slice(at);
  }
}

/** Make `conn`'s messages single buffers and its reads exception-free, where it is the stream this was written against (else unchanged). */
export function joinNoiseMessages<T extends object>(conn: T): T {
  const c = conn as Partial<Encrypting>;
  if (typeof c.encrypt === "function") {
    const encrypt = c.encrypt.bind(conn);
    c.encrypt = (chunk) => {
      const out = encrypt(chunk);
      return out instanceof Uint8Array ? out : out.subarray();
    };
  }
  const d = conn as Partial<Decoding>;
  if (typeof d.decoder === "object" && d.decoder !== null && typeof d.decoder.decode === "function") d.decoder = new NoiseMessageDecoder();
  return conn;
}

/** `noise(init)` whose secured connections write each message (length + ciphertext) in one piece. */
export function noiseOneWrite(init?: NoiseInit): (components: NoiseComponents) => ConnectionEncrypter<NoiseExtensions> {
  const make = noise(init);
  return (components) => {
    const inner = make(components);
    const joined = (s: SecuredConnection<NoiseExtensions>): SecuredConnection<NoiseExtensions> => ({ ...s, connection: joinNoiseMessages(s.connection) });
    return {
      protocol: inner.protocol,
      secureInbound: async (conn, options) => joined(await inner.secureInbound(conn, options)),
      secureOutbound: async (conn, options) => joined(await inner.secureOutbound(conn, options)),
    };
  };
}
