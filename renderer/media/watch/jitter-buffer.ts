/**
 * The audio jitter buffer that runs inside the playback worklet: a ring of planar samples with the
 * capture timestamp of each written chunk, so the player knows which instant is being heard.
 *
 * Playback starts (and restarts after an underrun) once `targetFrames` are buffered; a quantum that finds
 * the buffer short is filled with silence and counted as an underrun; a write that pushes the depth above
 * `maxFrames` drops the oldest samples down to the target, which is how audio skips to the live edge.
 */

/** Sizes in sample frames (one sample per channel). */
export interface JitterProps {
  channels: number;
  sampleRate: number;
  targetFrames: number;
  maxFrames: number;
}

/** What the buffer has done so far. */
export interface JitterCounters {
  underruns: number;
  droppedFrames: number;
}

export class JitterBuffer {
  readonly props: JitterProps;
  readonly #ring: Float32Array[];
  readonly #capacity: number;
  /** Absolute sample positions: `#read` ≤ `#write`, ring index = position % capacity. */
  #read = 0;
  #write = 0;
  /** Timestamp (µs) of the sample at absolute position `at`, one entry per written chunk, oldest first. */
  #marks: { at: number; us: number }[] = [];
  #playing = false;
  readonly counters: JitterCounters = { underruns: 0, droppedFrames: 0 };

  constructor(props: JitterProps) {
    this.props = props;
    this.#capacity = props.maxFrames + Math.max(props.targetFrames, 4_096);
    this.#ring = Array.from({ length: props.channels }, () => new Float32Array(this.#capacity));
  }

  /** Buffered sample frames. */
  get depth(): number {
    return this.#write - this.#read;
  }

  /** Whether the buffer is past its prebuffering and feeding output. */
  get playing(): boolean {
    return this.#playing;
  }

  /** Append a chunk whose first sample was captured at `timestampUs`; missing channels repeat channel 0. */
  write(timestampUs: number, planes: readonly Float32Array[]): void {
    const n = planes[0]?.length ?? 0;
    if (n === 0) return;
    if (n > this.#capacity) return this.write(timestampUs + ((n - this.#capacity) * 1e6) / this.props.sampleRate, planes.map((p) => p.subarray(n - this.#capacity)));
    if (this.depth + n > this.#capacity) this.#drop(this.depth + n - this.#capacity);
    for (let c = 0; c < this.props.channels; c++) {
      const src = planes[c] ?? planes[0]!;
      const ring = this.#ring[c]!;
      const start = this.#write % this.#capacity;
      const first = Math.min(n, this.#capacity - start);
      ring.set(src.subarray(0, first), start);
      if (first < n) ring.set(src.subarray(first, n), 0);
    }
    this.#marks.push({ at: this.#write, us: timestampUs });
    this.#write += n;
    if (this.depth > this.props.maxFrames) this.#drop(this.depth - this.props.targetFrames);
  }

  /**
   * Fill `out` (one array per output channel, all the same length) for one render quantum. Returns
   * false when it output silence (prebuffering or underrun).
   */
  read(out: readonly Float32Array[]): boolean {
    const n = out[0]?.length ?? 0;
    if (!this.#playing && this.depth >= this.props.targetFrames) this.#playing = true;
    if (this.#playing && this.depth < n) {
      this.#playing = false;
      this.counters.underruns++;
    }
    if (!this.#playing) {
      for (const o of out) o.fill(0);
      return false;
    }
    for (let c = 0; c < out.length; c++) {
      const ring = this.#ring[Math.min(c, this.props.channels - 1)]!;
      const start = this.#read % this.#capacity;
      const first = Math.min(n, this.#capacity - start);
      out[c]!.set(ring.subarray(start, start + first), 0);
      if (first < n) out[c]!.set(ring.subarray(0, n - first), first);
    }
    this.#advance(n);
    return true;
  }

  /** Capture timestamp (µs) of the next sample to be played, or undefined when empty. */
  headTimestampUs(): number | undefined {
    const mark = this.#marks[0];
    if (mark === undefined || this.depth === 0) return undefined;
    return mark.us + ((this.#read - mark.at) * 1e6) / this.props.sampleRate;
  }

  #drop(n: number): void {
    this.counters.droppedFrames += n;
    this.#advance(n);
  }

  #advance(n: number): void {
    this.#read += n;
    // Keep the mark covering the read position, forget older ones.
    while (this.#marks.length > 1 && this.#marks[1]!.at <= this.#read) this.#marks.shift();
    if (this.#read === this.#write) this.#marks = [];
  }
}
