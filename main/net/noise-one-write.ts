/**
 * libp2p's noise encrypter, sending each noise message as one buffer.
 *
 * @libp2p/noise 17 builds every transport message as a list of two buffers, the 2-byte length and the
 * ciphertext, and @libp2p/tcp writes each buffer of a list with its own `socket.write`. With Nagle off
 * (libp2p's default) that is two syscalls and two TCP segments per message, the first carrying 2 bytes:
 * measured on a 2-peer call, half of a core's ~280 writes/s to its peer were 2-byte prefixes. Noise fixed
 * this once (ChainSafe/js-libp2p-noise#387, "concatenate encrypted data length prefix with data before
 * sending") and the stream rewrite lost it; this wrapper restores it without forking the library. The
 * copy it costs is one message (≤ 64 KiB), already in cache. What it saves is on the wire (half the
 * segments, none of them 2-byte ones); the CPU it saves a core on loopback was within the noise.
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

/** Make `conn`'s messages single buffers, if it is the stream this was written against (else unchanged). */
export function joinNoiseMessages<T extends object>(conn: T): T {
  const c = conn as Partial<Encrypting>;
  if (typeof c.encrypt !== "function") return conn;
  const encrypt = c.encrypt.bind(conn);
  c.encrypt = (chunk) => {
    const out = encrypt(chunk);
    return out instanceof Uint8Array ? out : out.subarray();
  };
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
