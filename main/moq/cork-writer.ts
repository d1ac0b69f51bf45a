/**
 * Corked record writer for a libp2p stream.
 *
 * Two traps from shared/reference/moq-in-node.md §3.1/§3.3 shape it:
 * - every record is copied into our own buffer at write time, because @moq/net reuses a scratch buffer
 *   for varints and libp2p keeps a reference to what `send()` was given until the socket write;
 * - records are corked and sent once per macrotask (`setImmediate`) or once 64 KiB are queued, because
 *   @moq/net issues 2–3 tiny awaited writes per frame and one yamux frame + noise message + syscall per
 *   write caps throughput at ~2.5 MB/s.
 * Backpressure: after `send()` returns false nothing more is sent, and writers wait, until the stream drains.
 * We wait for the 'drain' event ourselves: `stream.onDrain()` in @libp2p/utils 7.4.1 never resets its
 * promise, so after the first drain it resolves at once forever and backpressure silently disappears
 * (measured: 60 MB piled up in the stream's write buffer of a paused reader).
 */
import type { Stream } from "@libp2p/interface";
import { recordHeaderLength, writeRecordHeader } from "./record-codec.ts";

/** Default cork size: flush as soon as this many bytes are queued. */
export const DEFAULT_CORK_BYTES = 64 * 1024;

/** Writes length-prefixed records to a stream, batching them per macrotask. */
export class CorkWriter {
  readonly #stream: Stream;
  readonly #corkBytes: number;
  // Records are copied into `#buf`; [#start, #used) is written but not yet handed to libp2p. The part
  // before #start belongs to libp2p now and is never touched again.
  #buf: Uint8Array | undefined;
  #start = 0;
  #used = 0;
  // Regions handed over by flush() but held back because the stream needs to drain.
  #queue: Uint8Array[] = [];
  #queued = 0;
  #scheduled = false;
  #drain: Promise<void> | undefined;
  #error: Error | undefined;

  constructor(stream: Stream, corkBytes: number = DEFAULT_CORK_BYTES) {
    this.#stream = stream;
    this.#corkBytes = corkBytes;
  }

  /** Bytes accepted but not yet given to the stream. */
  get pending(): number {
    return this.#queued + (this.#used - this.#start);
  }

  /** Queue one record (copied now). Resolves at once, or after the stream drains when it is backed up. */
  write(record: Uint8Array): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const total = recordHeaderLength(record.byteLength) + record.byteLength;
    if (this.#buf === undefined || this.#buf.byteLength - this.#used < total) {
      this.#seal();
      this.#buf = new Uint8Array(Math.max(this.#corkBytes, total));
      this.#start = 0;
      this.#used = 0;
    }
    const off = this.#used + writeRecordHeader(record.byteLength, this.#buf, this.#used);
    this.#buf.set(record, off);
    this.#used = off + record.byteLength;
    if (this.pending >= this.#corkBytes) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
    return this.#drain ?? Promise.resolve();
  }

  /** Hand everything queued to the stream now (unless it must drain first). */
  flush(): void {
    this.#seal();
    if (this.#drain !== undefined || this.#error !== undefined) return;
    while (this.#queue.length > 0) {
      const chunk = this.#queue.shift()!;
      this.#queued -= chunk.byteLength;
      let more: boolean;
      try {
        more = this.#stream.send(chunk);
      } catch (err) {
        this.fail(err as Error);
        return;
      }
      if (!more) {
        this.#drain = nextDrain(this.#stream).then(
          () => {
            this.#drain = undefined;
            this.flush();
          },
          (err: unknown) => {
            this.#drain = undefined;
            this.fail(err instanceof Error ? err : new Error(String(err)));
          },
        );
        return;
      }
    }
  }

  /** Resolves once nothing is held back any more (rejects if the stream failed first). */
  async drained(): Promise<void> {
    this.flush();
    while (this.#drain !== undefined) await this.#drain;
    if (this.#error !== undefined) throw this.#error;
  }

  /** Refuse further writes and drop what is queued (the stream is gone). */
  fail(err: Error): void {
    this.#error ??= err;
    this.#queue = [];
    this.#queued = 0;
    this.#buf = undefined;
    this.#start = this.#used = 0;
  }

  // Move the written-but-unsent region of the buffer onto the send queue.
  #seal(): void {
    if (this.#buf === undefined || this.#used === this.#start) return;
    this.#queue.push(this.#buf.subarray(this.#start, this.#used));
    this.#queued += this.#used - this.#start;
    this.#start = this.#used;
  }
}

// Resolves on the stream's next 'drain' event, rejects if it closes first.
function nextDrain(stream: Stream): Promise<void> {
  if (!stream.writableNeedsDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.removeEventListener("close", onClose);
      resolve();
    };
    const onClose = (evt: { error?: Error }): void => {
      stream.removeEventListener("drain", onDrain);
      reject(evt.error ?? new Error("stream closed while waiting to drain"));
    };
    stream.addEventListener("drain", onDrain, { once: true });
    stream.addEventListener("close", onClose, { once: true });
  });
}
