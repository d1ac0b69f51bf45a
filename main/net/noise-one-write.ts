/**
 * libp2p's noise encrypter, sending each noise message as one buffer (and reading without an exception per read).
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
 * The same wrapper fixes the read side's hot spot: noise's length decoder reports "the 2-byte length has
 * not arrived yet" by throwing a fresh RangeError, which its decode loop catches. The loop asks once more
 * after every message it takes, so every TCP read ends in a new exception and the capture of its stack:
 * `uint16BEDecode` was the costliest function of the core's libp2p stack in a call's CPU profile (~2 % of
 * a core). Ours throws one shared RangeError, which the loop handles the same way.
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

/** The part of noise's encrypted stream's read side this relies on: its length-prefixed decoder. */
interface Decoding {
  decoder: { lengthDecoder: unknown };
}

/** What noise's length decoder is given: the decoder's buffer list (or bytes). */
interface Uint16Source {
  readonly length: number;
  getUint16(offset: number): number;
}

/** "The length has not arrived yet": one instance, so no stack is captured per read. */
const SHORT_LENGTH = new RangeError("Could not decode int16BE");

/** noise's `uint16BEDecode`, throwing {@link SHORT_LENGTH} instead of a new error. */
export function uint16BEDecode(data: Uint8Array | Uint16Source): number {
  if (data.length < 2) throw SHORT_LENGTH;
  return data instanceof Uint8Array ? (data[0]! << 8) | data[1]! : data.getUint16(0);
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
  const d = (conn as Partial<Decoding>).decoder;
  if (typeof d === "object" && d !== null && typeof d.lengthDecoder === "function") d.lengthDecoder = uint16BEDecode;
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
