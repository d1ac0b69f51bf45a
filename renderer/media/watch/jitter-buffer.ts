/**
 * The audio jitter buffer that runs inside the playback worklet: a ring of planar samples with the
 * capture timestamp of each written chunk, so the player knows which instant is being heard.
 *
 * Playback starts (and restarts after an underrun) once `targetFrames` are buffered; a quantum that finds
 * the buffer short is counted as an underrun, and until playback restarts the gap is filled by loss
 * concealment (concealment.ts: the last pitch period repeated, fading out) rather than cut to silence; a
 * write that pushes the depth above `maxFrames` drops the oldest samples down to the target, which is how
 * audio skips to the live edge.
 *
 * Between those bounds the depth would otherwise stay wherever a burst left it: a late packet makes an
 * underrun, playback waits for the target again, and the packets that were only late then arrive on top,
 * so the buffer settles tens of ms above its target for the rest of the call (seen in bench app-media:
 * 80–100 ms buffered for a 50 ms target), all of it added mouth-to-ear delay. So the least depth over each
 * half second of playback is watched; what stood above the target all that time is excess, and it is
 * trimmed where nobody can hear it: render quanta of silence (speech has pauses) are skipped instead of
 * played, never taking the depth below the target. A loud stretch is never cut.
 *
 * The target itself follows the network, as WebRTC's NetEq does: given each chunk's arrival time, the
 * spread of transit times (arrival − capture) over the last ~3 s is how late a chunk can be compared with
 * the quickest, which is what the buffer must cover; the target is that spread plus a margin, between
 * 20 ms and half the maximum. `targetFrames` is where it starts. A clean link on a quiet machine plays
 * with ~20–30 ms buffered instead of a fixed 50 ms (the unit tests' model); a jittery one keeps what it
 * needs — on the loaded 2-core bench machine, where main-thread stalls delay decoded audio, 55–75 ms — and
 * a late chunk that sets a new record raises the target at once.
 */

import { Concealer } from "./concealment.ts";

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
  /** Frames of substitute sound played in gaps (concealment.ts). */
  concealedFrames: number;
}

/** Playback time over which the least depth is watched. */
const WATCH_S = 0.5;
/** Excess kept rather than trimmed, so jitter does not make the buffer hunt. */
const SLACK_S = 0.01;
/** A quantum whose samples all stay below this peak (−40 dBFS) is silence and may be skipped. */
const SILENCE = 0.01;
/** Chunks whose transit times set the target: ~3 s of 20 ms packets. */
const TRANSIT_WINDOW = 150;
/** Chunks seen before the target adapts (until then it is `targetFrames`). */
const TRANSIT_SETTLE = 25;
/** Target = the transit spread + this margin (a few render quanta), at least MIN_TARGET_S. */
const TARGET_MARGIN_S = 0.01;
const MIN_TARGET_S = 0.02;
/** A jump in transit time this large is a new stream (another microphone, a clock reset), not jitter. */
const TRANSIT_RESET_US = 1_000_000;

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
  /** The target depth, in frames: `props.targetFrames` until the transit times say otherwise. */
  #target: number;
  /** Transit times (µs) of the last chunks, a ring of TRANSIT_WINDOW, and how many were seen. */
  readonly #transit = new Float64Array(TRANSIT_WINDOW);
  #transits = 0;
  /** Least depth since the watch began, frames played since, and the excess still to trim. */
  #lowest = Infinity;
  #watched = 0;
  #trim = 0;
  readonly #concealer: Concealer;
  readonly counters: JitterCounters = { underruns: 0, droppedFrames: 0, concealedFrames: 0 };

  constructor(props: JitterProps) {
    this.props = props;
    this.#capacity = props.maxFrames + Math.max(props.targetFrames, 4_096);
    this.#ring = Array.from({ length: props.channels }, () => new Float32Array(this.#capacity));
    this.#target = props.targetFrames;
    this.#concealer = new Concealer(props.channels, props.sampleRate);
  }

  /** The depth the buffer prebuffers to and trims back to now, in frames. */
  get targetFrames(): number {
    return this.#target;
  }

  /** Buffered sample frames. */
  get depth(): number {
    return this.#write - this.#read;
  }

  /** Whether the buffer is past its prebuffering and feeding output. */
  get playing(): boolean {
    return this.#playing;
  }

  /**
   * Append a chunk whose first sample was captured at `timestampUs`; missing channels repeat channel 0.
   * `arrivalUs`, on any clock that runs at the pace of the capture clock, lets the target adapt.
   */
  write(timestampUs: number, planes: readonly Float32Array[], arrivalUs?: number): void {
    const n = planes[0]?.length ?? 0;
    if (n === 0) return;
    if (arrivalUs !== undefined) this.#observe(arrivalUs - timestampUs);
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
    if (this.depth > this.props.maxFrames) this.#drop(this.depth - this.#target);
  }

  /**
   * Fill `out` (one array per output channel, all the same length) for one render quantum. Returns
   * false when it had no audio to play (prebuffering, or an underrun: `out` holds the concealment).
   */
  read(out: readonly Float32Array[]): boolean {
    const n = out[0]?.length ?? 0;
    if (!this.#playing && this.depth >= this.#target) this.#playing = true;
    if (this.#playing && this.depth < n) {
      this.#playing = false;
      this.counters.underruns++;
    }
    if (!this.#playing) {
      this.#lowest = Infinity;
      this.#watched = this.#trim = 0;
      this.counters.concealedFrames += this.#concealer.conceal(out);
      return false;
    }
    while (this.#trim >= n && this.depth - n >= this.#target + n && this.#silent(n)) {
      this.#drop(n);
      this.#trim -= n;
    }
    for (let c = 0; c < out.length; c++) {
      const ring = this.#ring[Math.min(c, this.props.channels - 1)]!;
      const start = this.#read % this.#capacity;
      const first = Math.min(n, this.#capacity - start);
      out[c]!.set(ring.subarray(start, start + first), 0);
      if (first < n) out[c]!.set(ring.subarray(0, n - first), first);
    }
    this.#concealer.resume(out);
    this.#concealer.remember(out);
    this.#advance(n);
    this.#watch(n);
    return true;
  }

  // After each played quantum: at the end of a watch, what stood above target + slack the whole time is to be trimmed.
  #watch(played: number): void {
    this.#lowest = Math.min(this.#lowest, this.depth);
    this.#watched += played;
    if (this.#watched < WATCH_S * this.props.sampleRate) return;
    const excess = this.#lowest - this.#target - Math.round(SLACK_S * this.props.sampleRate);
    this.#trim = Math.max(0, excess);
    this.#lowest = Infinity;
    this.#watched = 0;
  }

  // One chunk's transit time: once enough are in, the target is their spread plus the margin.
  #observe(transitUs: number): void {
    const last = this.#transits > 0 ? this.#transit[(this.#transits - 1) % TRANSIT_WINDOW]! : transitUs;
    if (Math.abs(transitUs - last) > TRANSIT_RESET_US) this.#transits = 0;
    this.#transit[this.#transits % TRANSIT_WINDOW] = transitUs;
    this.#transits++;
    if (this.#transits < TRANSIT_SETTLE) return;
    const n = Math.min(this.#transits, TRANSIT_WINDOW);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      min = Math.min(min, this.#transit[i]!);
      max = Math.max(max, this.#transit[i]!);
    }
    const rate = this.props.sampleRate;
    const frames = Math.round(((max - min) / 1e6 + TARGET_MARGIN_S) * rate);
    this.#target = Math.min(Math.floor(this.props.maxFrames / 2), Math.max(Math.round(MIN_TARGET_S * rate), frames));
  }

  // Whether the next `n` frames are silence on every channel.
  #silent(n: number): boolean {
    for (const ring of this.#ring) {
      for (let i = 0; i < n; i++) if (Math.abs(ring[(this.#read + i) % this.#capacity]!) >= SILENCE) return false;
    }
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
