/**
 * Decoded audio from a player to its playback worklet through shared memory: a single-producer,
 * single-consumer queue of PCM chunks in SharedArrayBuffers. The player writes each decoded packet into
 * the next free slot and publishes it with one atomic store; the worklet takes every published slot at
 * the start of a render quantum. No message per packet: posting each packet cost the page's main thread
 * a structured clone and a cross-thread task, 50 a second per remote speaker, ~2 % of a core per peer in
 * a two-person call (bench app-media), and the audio thread a message event each.
 *
 * Needs a cross-origin isolated page (both hosts send the headers: main/app/csp.ts); elsewhere
 * {@link createPcmRing} says no and the player posts messages as before.
 *
 * Layout: `index` holds two Int32 counters, slots written and slots read (they wrap together; only their
 * difference matters); `meta` holds each slot's capture timestamp (µs) and frame count; `samples` holds
 * each slot's planes, `SLOT_FRAMES` samples per channel. A chunk longer than a slot takes several.
 */

/** Slots in the queue: 32 × 20 ms packets, far more than the jitter buffer keeps (150 ms). */
export const RING_SLOTS = 32;
/** Sample frames a slot holds: 40 ms at 48 kHz (Opus packets are 2.5–60 ms; longer ones are split). */
export const SLOT_FRAMES = 1920;

/** The shared buffers of one queue (structured-cloneable: passed to the worklet in processorOptions). */
export interface PcmRingBuffers {
  channels: number;
  index: SharedArrayBuffer;
  meta: SharedArrayBuffer;
  samples: SharedArrayBuffer;
}

const WRITTEN = 0;
const READ = 1;
const MASK = RING_SLOTS - 1; // RING_SLOTS is a power of two, so `count & MASK` is the slot even after the counters wrap

/** A queue for `channels` channels, or undefined where this page cannot share memory with its worklet (`isolated` is for tests). */
export function createPcmRing(channels: number, isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true): PcmRingBuffers | undefined {
  if (typeof SharedArrayBuffer !== "function" || !isolated) return undefined;
  return {
    channels,
    index: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
    meta: new SharedArrayBuffer(2 * RING_SLOTS * Float64Array.BYTES_PER_ELEMENT),
    samples: new SharedArrayBuffer(RING_SLOTS * channels * SLOT_FRAMES * Float32Array.BYTES_PER_ELEMENT),
  };
}

class RingViews {
  protected readonly index: Int32Array;
  protected readonly meta: Float64Array;
  protected readonly samples: Float32Array;
  protected readonly channels: number;

  constructor(b: PcmRingBuffers) {
    this.channels = b.channels;
    this.index = new Int32Array(b.index);
    this.meta = new Float64Array(b.meta);
    this.samples = new Float32Array(b.samples);
  }

  /** Channel `c` of `slot`, `frames` long. */
  protected plane(slot: number, c: number, frames: number): Float32Array {
    const at = (slot * this.channels + c) * SLOT_FRAMES;
    return this.samples.subarray(at, at + frames);
  }
}

/** The player's end. */
export class PcmRingWriter extends RingViews {
  /**
   * Queue a chunk whose first sample was captured at `timestampUs` (planes of equal length at
   * `sampleRate`; missing channels repeat the first). False, and nothing queued, when the queue has no
   * room: the worklet is not running (a suspended context), and what it would play next is stale anyway.
   */
  write(timestampUs: number, planes: readonly Float32Array[], sampleRate: number): boolean {
    const frames = planes[0]?.length ?? 0;
    if (frames === 0) return true;
    const slots = Math.ceil(frames / SLOT_FRAMES);
    const written = Atomics.load(this.index, WRITTEN);
    if (RING_SLOTS - ((written - Atomics.load(this.index, READ)) | 0) < slots) return false;
    for (let k = 0; k < slots; k++) {
      const slot = (written + k) & MASK;
      const from = k * SLOT_FRAMES;
      const n = Math.min(SLOT_FRAMES, frames - from);
      this.meta[2 * slot] = timestampUs + (from * 1e6) / sampleRate;
      this.meta[2 * slot + 1] = n;
      for (let c = 0; c < this.channels; c++) this.plane(slot, c, n).set((planes[c] ?? planes[0]!).subarray(from, from + n));
    }
    // Publishes the slots: the worklet's Atomics.load of the counter orders our writes before its reads.
    Atomics.store(this.index, WRITTEN, (written + slots) | 0);
    return true;
  }
}

/** The worklet's end. */
export class PcmRingReader extends RingViews {
  /** Hand every queued chunk to `take`, oldest first (its planes are valid only during the call); returns how many. */
  drain(take: (timestampUs: number, planes: Float32Array[]) => void): number {
    const written = Atomics.load(this.index, WRITTEN);
    let read = Atomics.load(this.index, READ);
    let n = 0;
    while (read !== written) {
      const slot = read & MASK;
      const frames = this.meta[2 * slot + 1]!;
      const planes: Float32Array[] = [];
      for (let c = 0; c < this.channels; c++) planes.push(this.plane(slot, c, frames));
      take(this.meta[2 * slot]!, planes);
      read = (read + 1) | 0;
      n++;
    }
    // Frees the slots for the writer only after `take` copied them out.
    Atomics.store(this.index, READ, read);
    return n;
  }
}
