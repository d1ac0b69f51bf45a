/**
 * A libp2p v3 `Stream` as a pair of WHATWG streams of records (the shape a WebSocketStream has), so
 * @moq/qmux can run inside one libp2p stream. Records are length-prefixed (record-codec.ts); writes are
 * corked (cork-writer.ts). Read side backpressure: when the record queue is full the libp2p stream is
 * paused, which makes yamux stop granting window to the sender. yamux grants window as data *arrives*
 * (not as it is read) and grows it up to 16 MiB, so after a pause up to that much can still land in the
 * stream's read buffer, whose default cap (4 MiB) would reset the stream; we raise the cap to cover it.
 *
 * Garbage in (a bad length prefix, a record above the cap, a cut-off record) resets the stream and
 * errors the readable with a ProtocolViolation, so whoever reads it learns why.
 */
import type { Stream } from "@libp2p/interface";
import { CorkWriter, DEFAULT_CORK_BYTES } from "./cork-writer.ts";
import { DEFAULT_MAX_RECORD_BYTES, RecordDecoder } from "./record-codec.ts";

// @libp2p/yamux's MAX_STREAM_WINDOW: what a sender may still have in flight when we pause.
const YAMUX_MAX_STREAM_WINDOW = 16 * 1024 * 1024;

/** Options for {@link framedStream}. */
export interface FramedStreamInit {
  /** Largest record accepted from the peer (default 1 MiB). */
  maxRecordBytes?: number;
  /** Flush writes once this many bytes are queued (default 64 KiB); otherwise once per macrotask. */
  corkBytes?: number;
  /** Decoded bytes buffered for the reader before the stream is paused (default 1 MiB). */
  readHighWaterMark?: number;
  /** How long close() waits for the peer to close its side before resetting the stream (default 5 s). */
  lingerMs?: number;
}

/** A record-framed view of one libp2p stream. */
export interface FramedStream {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Settles once the libp2p stream is fully closed: `undefined` when clean, else the error that ended it. */
  readonly closed: Promise<Error | undefined>;
  /** Resolves when the peer finished sending (clean end of the readable); rejects with the read error. */
  readonly remoteEnded: Promise<void>;
  /** Flush, half-close our side, and reset the stream if the peer has not closed its side within `lingerMs` (default: the init value). */
  close(lingerMs?: number): Promise<void>;
  /** Reset the stream now. */
  abort(err: Error): void;
}

/** Wrap `stream`; attach before yielding to the event loop so no early data is missed. */
export function framedStream(stream: Stream, init: FramedStreamInit = {}): FramedStream {
  const decoder = new RecordDecoder(init.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  const writer = new CorkWriter(stream, init.corkBytes ?? DEFAULT_CORK_BYTES);
  const lingerMs = init.lingerMs ?? 5_000;
  const readHighWaterMark = init.readHighWaterMark ?? 1024 * 1024;
  stream.maxReadBufferLength = Math.max(stream.maxReadBufferLength, YAMUX_MAX_STREAM_WINDOW + readHighWaterMark + DEFAULT_CORK_BYTES);
  const closed = Promise.withResolvers<Error | undefined>();
  const remoteEnded = Promise.withResolvers<void>();
  remoteEnded.promise.catch(() => undefined);
  let readOpen = true;
  let controller!: ReadableStreamDefaultController<Uint8Array>;

  const fail = (err: Error): void => {
    writer.fail(err);
    if (readOpen) {
      readOpen = false;
      controller.error(err);
      remoteEnded.reject(err);
    }
    stream.abort(err);
  };

  const readable = new ReadableStream<Uint8Array>(
    {
      start: (c) => {
        controller = c;
      },
      pull: () => {
        if (stream.readStatus === "paused") stream.resume();
      },
      cancel: (reason) => fail(reason instanceof Error ? reason : new Error("reader cancelled")),
    },
    { highWaterMark: readHighWaterMark, size: (chunk) => chunk.byteLength },
  );

  const onChunk = (chunk: Uint8Array): boolean => {
    let records: Uint8Array[];
    try {
      records = decoder.push(chunk);
    } catch (err) {
      fail(err as Error);
      return false;
    }
    for (const r of records) controller.enqueue(r);
    return true;
  };

  stream.addEventListener("message", (evt) => {
    if (!readOpen) return;
    const data = evt.data;
    if (data instanceof Uint8Array) onChunk(data);
    else for (const c of data) if (!onChunk(c)) return;
    if (readOpen && (controller.desiredSize ?? 1) <= 0 && stream.readStatus === "readable") stream.pause();
  });
  stream.addEventListener("end", () => {
    if (!readOpen) return;
    try {
      decoder.finish();
    } catch (err) {
      fail(err as Error);
      return;
    }
    readOpen = false;
    controller.close();
    remoteEnded.resolve();
  });
  stream.addEventListener("close", (evt) => {
    const err = evt.error;
    if (err !== undefined) {
      writer.fail(err);
      if (readOpen) {
        readOpen = false;
        controller.error(err);
        remoteEnded.reject(err);
      }
    } else {
      writer.fail(new Error("stream closed"));
      if (readOpen) {
        // A close without 'end' (e.g. the read buffer was discarded): still a clean end for the reader.
        readOpen = false;
        controller.close();
        remoteEnded.resolve();
      }
    }
    closed.resolve(err);
  });

  const writable = new WritableStream<Uint8Array>(
    {
      write: (chunk) => writer.write(chunk),
      close: () => writer.drained(),
      abort: (reason) => fail(reason instanceof Error ? reason : new Error("writer aborted")),
    },
    { highWaterMark: DEFAULT_CORK_BYTES, size: (chunk) => chunk.byteLength },
  );

  // close() may be called again with a shorter linger (e.g. once the session is known to have failed).
  let closing: Promise<void> | undefined;
  let deadline = Infinity;
  let lingerTimer: NodeJS.Timeout | undefined;
  void closed.promise.then(() => clearTimeout(lingerTimer));
  const close = (linger = lingerMs): Promise<void> => {
    if (stream.status !== "open" && stream.status !== "closing") return closing ?? Promise.resolve();
    if (Date.now() + linger < deadline) {
      deadline = Date.now() + linger;
      clearTimeout(lingerTimer);
      lingerTimer = setTimeout(() => stream.abort(new Error(`peer did not close the stream within ${linger} ms`)), linger);
    }
    return (closing ??= (async () => {
      try {
        await writer.drained();
        await stream.close();
      } catch (err) {
        stream.abort(err as Error);
      }
    })());
  };

  return { readable, writable, closed: closed.promise, remoteEnded: remoteEnded.promise, close, abort: fail };
}
