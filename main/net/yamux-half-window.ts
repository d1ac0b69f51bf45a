/**
 * libp2p's yamux, sending a stream's window update once half its receive window is used.
 *
 * @libp2p/yamux 8 answers every data frame it receives with a window update frame (`handleData` ends in
 * `sendWindowUpdate`, which sends whenever any of the window is used). A MoQ session is one yamux stream
 * carrying a frame of media every few milliseconds both ways, so every record we send costs the peer a
 * second frame back: its own noise message, `socket.write` and TCP segment, and here the decryption and
 * parsing of it (measured on a two-person call: ~50 of a core's ~115 writes a second to its peer were
 * 12-byte window updates). Go's and Rust's yamux wait until half of the window is used; this does the
 * same, so a 256 KiB window gets an update every 128 KiB instead of every frame. It changes only when
 * this end sends updates, which the protocol leaves to the receiver: any yamux peer understands it.
 *
 * The hook is on the stream object the muxer creates; the SYN/ACK of a new stream, pauses and resumes
 * go through the library's logic unchanged.
 */
import { yamux, type YamuxMuxerInit } from "@libp2p/yamux";

/** The part of a yamux stream this relies on (@libp2p/yamux 8's YamuxStream). */
interface WindowedStream {
  state: number;
  recvWindow: number;
  recvWindowCapacity: number;
  sendWindowUpdate(): void;
}

/** YamuxStream's `StreamState.Established`: the only state in which an update carries no flags. */
const ESTABLISHED = 3;

function isWindowed(s: object): s is WindowedStream {
  const w = s as Partial<WindowedStream>;
  return typeof w.sendWindowUpdate === "function" && typeof w.recvWindow === "number" && typeof w.recvWindowCapacity === "number" && typeof w.state === "number";
}

/** Make `stream` send window updates at half a window, if it is the stream this was written against (else unchanged). */
export function halfWindowUpdates<T extends object>(stream: T): T {
  if (!isWindowed(stream)) return stream;
  const send = stream.sendWindowUpdate.bind(stream);
  stream.sendWindowUpdate = () => {
    if (stream.state === ESTABLISHED && stream.recvWindow - stream.recvWindowCapacity < stream.recvWindow / 2) return;
    send();
  };
  return stream;
}

/** The part of yamux's muxer this relies on: `_newStream` builds every stream, both directions. */
interface StreamBuilding {
  _newStream(...args: unknown[]): object;
}

/** `yamux(init)` whose streams send window updates at half a window. */
export function yamuxHalfWindow(init?: YamuxMuxerInit): ReturnType<typeof yamux> {
  const make = yamux(init);
  return () => {
    const factory = make();
    const create = factory.createStreamMuxer.bind(factory);
    factory.createStreamMuxer = (maConn) => {
      const muxer = create(maConn);
      const m = muxer as unknown as Partial<StreamBuilding>;
      if (typeof m._newStream === "function") {
        const build = m._newStream.bind(muxer);
        m._newStream = (...args) => halfWindowUpdates(build(...args));
      }
      return muxer;
    };
    return factory;
  };
}
