/**
 * Coalescing of QMux frames into records. @moq/qmux writes every STREAM frame on its own (a media frame is
 * two or three of them, a group's open and FIN more), and each write becomes one message on the link or
 * one length-prefixed record in a libp2p stream. QMux-02 lets a record carry several frames, so the frames
 * written before the next macrotask are sent as one record of at most {@link QMUX_RECORD_BYTES}. Used by
 * the media link (shared/media/link.ts). The peer sessions do without: their records already share one
 * corked write per macrotask (main/moq/cork-writer.ts), and coalescing them as well measured no difference.
 */

/**
 * Largest coalesced record: QMux's default `max_record_size` (draft-01+), which every peer accepts, so a
 * standard client can read what we send without having raised its limit. (qmux sizes single frames to the
 * peer's limit itself; a single frame larger than this is passed on alone.)
 */
export const QMUX_RECORD_BYTES = 16_382;

/** Chromium's Prioritized Task Scheduling API, where the runtime has it (pages; not Node). */
interface TaskScheduler {
  postTask(fn: () => void, options: { priority: "user-blocking" | "user-visible" | "background" }): Promise<void>;
}

/**
 * Run `fn` in a later task. In a page, a `user-blocking` task (scheduler.postTask): it runs ahead of the
 * timers, network messages and codec callbacks already queued on the main thread, so a frame the encoder
 * has just handed over is not sent behind them (bench app-media, latency runs: the sender's capture → core
 * p99 10.5, 11 and 12.5 ms in three runs, 14.4 and 16.1 in two with setTimeout). Elsewhere (Node: the core's side of
 * the link) a timer rather than setImmediate: Node's setTimeout(0) waits about a millisecond, which gathers
 * the frames of several tasks (measured: fewer records, less CPU per call) for a millisecond of delay.
 * Looked up per call, so tests can install a scheduler.
 */
export function nextMacrotask(fn: () => void): void {
  const scheduler = (globalThis as { scheduler?: Partial<TaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask === "function") void scheduler.postTask(fn, { priority: "user-blocking" });
  else setTimeout(fn, 0);
}

/** Gathers written frames and hands them to `send` as records. */
export class Coalescer {
  readonly #send: (record: Uint8Array) => void;
  readonly #limit: number;
  #pending: Uint8Array[] = [];
  #bytes = 0;
  #scheduled = false;
  #closed = false;

  constructor(send: (record: Uint8Array) => void, limit = QMUX_RECORD_BYTES) {
    this.#send = send;
    this.#limit = limit;
  }

  /** Queue one frame (copied: qmux may reuse its buffer once the write resolved). */
  push(frame: Uint8Array): void {
    if (this.#closed) return;
    if (this.#bytes + frame.byteLength > this.#limit) this.flush();
    this.#pending.push(frame.slice());
    this.#bytes += frame.byteLength;
    if (this.#bytes >= this.#limit) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      nextMacrotask(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Send what is queued now, as one record. */
  flush(): void {
    if (this.#pending.length === 0 || this.#closed) return;
    let out: Uint8Array;
    if (this.#pending.length === 1) out = this.#pending[0]!;
    else {
      out = new Uint8Array(this.#bytes);
      let off = 0;
      for (const c of this.#pending) {
        out.set(c, off);
        off += c.byteLength;
      }
    }
    this.#pending = [];
    this.#bytes = 0;
    this.#send(out);
  }

  /** Drop what is queued and accept nothing more (the transport is gone). */
  close(): void {
    this.#closed = true;
    this.#pending = [];
    this.#bytes = 0;
  }
}
