/**
 * What the playback worklet plays while its jitter buffer has run dry, instead of a cut to silence.
 *
 * A late packet used to stop the sound dead for the length of a prebuffer (20–75 ms): the cut itself
 * clicks, and the refill starts from zero mid-waveform, which clicks again. On a loaded machine that was
 * one to four gaps a second (bench app-media: 18–82 `audioUnderruns` per receiver in 15–25 s of play).
 * Opus's own loss concealment is out of reach (WebCodecs' AudioDecoder has no "decode a missing packet"
 * call), so this is the classic waveform substitution of G.711 Appendix I and NetEq's "expand", on the
 * decoded PCM:
 *
 * - the pitch period of the last sound heard is found by normalized autocorrelation, and that period
 *   repeats, so voiced speech carries on as the same vowel rather than stopping;
 * - at full level for {@link FULL_S}, then fading to silence over {@link FADE_S}: a long gap must not buzz;
 * - when real audio comes back, the first {@link CROSSFADE_S} of it is crossfaded with the continued
 *   substitute (after a full fade that is a fade-in from silence), so neither edge clicks.
 *
 * Everything here runs on the audio rendering thread: no allocation per quantum; the period search
 * (~150 k multiply-adds) runs once per gap.
 */

/** Played audio kept for the period search: the longest period twice, plus the comparison window. */
const HISTORY_S = 0.035;
/** Pitch periods searched: 2.5 ms (400 Hz) to 15 ms (~67 Hz), the range of speaking voices. */
const MIN_PERIOD_S = 0.0025;
const MAX_PERIOD_S = 0.015;
/** The stretch of the latest audio compared against earlier stretches when searching the period. */
const WINDOW_S = 0.005;
/** Below this normalized correlation the sound is not periodic (noise, a consonant): repeat the longest period, which buzzes least. */
const PERIODIC = 0.5;
/** Full level at first, then a linear fade to silence. */
const FULL_S = 0.01;
const FADE_S = 0.05;
/** Crossfade from the substitute back into real audio. */
const CROSSFADE_S = 0.0025;
/** RMS below this (−80 dBFS) is silence: nothing to continue. */
const QUIET_RMS = 1e-4;

/** The concealer of one playback buffer. */
export class Concealer {
  readonly #rate: number;
  /** The last played samples per channel, oldest first. */
  readonly #history: Float32Array[];
  /** The period being repeated, per channel, and its length; 0 while not concealing or concealing silence. */
  readonly #cycle: Float32Array[];
  #period = 0;
  /** Samples synthesized in the current gap; -1 when there is no gap. */
  #pos = -1;
  readonly #fadeIn: Float32Array;

  constructor(channels: number, sampleRate: number) {
    this.#rate = sampleRate;
    const history = Math.ceil(HISTORY_S * sampleRate);
    this.#history = Array.from({ length: channels }, () => new Float32Array(history));
    this.#cycle = Array.from({ length: channels }, () => new Float32Array(Math.ceil(MAX_PERIOD_S * sampleRate)));
    this.#fadeIn = new Float32Array(Math.ceil(CROSSFADE_S * sampleRate));
  }

  /** Whether a gap is being filled. */
  get active(): boolean {
    return this.#pos >= 0;
  }

  /**
   * Fill `out` with the substitute for missing audio (starting a gap if none is open). Returns how many
   * of its frames carry sound (0 once faded, or when what came before was silence).
   */
  conceal(out: readonly Float32Array[]): number {
    if (this.#pos < 0) this.#begin();
    const n = out[0]?.length ?? 0;
    let sounding = 0;
    for (let i = 0; i < n; i++) if (this.#gain(this.#pos + i) > 0) sounding++;
    for (let c = 0; c < out.length; c++) this.#synthesize(out[c]!, c, n);
    this.#pos += n;
    this.remember(out);
    return this.#period === 0 ? 0 : sounding;
  }

  /** Real audio is back in `out`: crossfade its start with the substitute and close the gap. */
  resume(out: readonly Float32Array[]): void {
    if (this.#pos < 0) return;
    // After silence (or before the first sound) there is nothing to blend: audio starts as it was sent.
    if (this.#period === 0) return void (this.#pos = -1);
    const n = Math.min(out[0]?.length ?? 0, this.#fadeIn.length);
    for (let c = 0; c < out.length; c++) {
      const o = out[c]!;
      this.#synthesize(this.#fadeIn, c, n);
      for (let i = 0; i < n; i++) {
        const w = (i + 1) / (n + 1);
        o[i] = w * o[i]! + (1 - w) * this.#fadeIn[i]!;
      }
    }
    this.#pos = -1;
    this.#period = 0;
  }

  /** Record a quantum that was played (real audio; `conceal` records its own). */
  remember(out: readonly Float32Array[]): void {
    const n = out[0]?.length ?? 0;
    for (let c = 0; c < this.#history.length; c++) {
      const h = this.#history[c]!;
      const src = out[Math.min(c, out.length - 1)]!;
      if (n >= h.length) h.set(src.subarray(n - h.length));
      else {
        h.copyWithin(0, n);
        h.set(src, h.length - n);
      }
    }
  }

  /** The next `count` samples of channel `c`'s substitute (from the gap's current position) into `dst`. */
  #synthesize(dst: Float32Array, c: number, count: number): void {
    const p = this.#period;
    if (p === 0) return void dst.fill(0, 0, count);
    const cycle = this.#cycle[Math.min(c, this.#cycle.length - 1)]!;
    for (let i = 0; i < count; i++) {
      const k = this.#pos + i;
      dst[i] = cycle[k % p]! * this.#gain(k);
    }
  }

  #gain(k: number): number {
    const t = k / this.#rate;
    return t < FULL_S ? 1 : Math.max(0, 1 - (t - FULL_S) / FADE_S);
  }

  // A gap opens: pick the period to repeat from what was just heard.
  #begin(): void {
    this.#pos = 0;
    const h0 = this.#history[0]!;
    const len = h0.length;
    const window = Math.round(WINDOW_S * this.#rate);
    let energy = 0;
    for (let i = len - window; i < len; i++) energy += h0[i]! * h0[i]!;
    if (Math.sqrt(energy / window) < QUIET_RMS) {
      this.#period = 0;
      return;
    }
    const minP = Math.round(MIN_PERIOD_S * this.#rate);
    const maxP = Math.min(Math.round(MAX_PERIOD_S * this.#rate), len - window);
    let best = maxP;
    let bestScore = PERIODIC;
    for (let lag = minP; lag <= maxP; lag++) {
      let xy = 0;
      let yy = 0;
      for (let i = len - window; i < len; i++) {
        const y = h0[i - lag]!;
        xy += h0[i]! * y;
        yy += y * y;
      }
      const score = yy > 0 ? xy / Math.sqrt(energy * yy) : 0;
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    this.#period = best;
    // The last `best` samples, in order: the repetition continues from the sample after the last heard.
    for (let c = 0; c < this.#cycle.length; c++) this.#cycle[c]!.set(this.#history[c]!.subarray(len - best));
  }
}
