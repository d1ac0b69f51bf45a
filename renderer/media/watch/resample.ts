/**
 * Linear resampling of one decoded chunk, for a stream whose rate differs from the AudioContext's
 * (ours runs at Opus's 48 kHz, so this is the uncommon path). Chunk edges are not interpolated across,
 * which costs a little quality and no state; good enough for speech.
 */
export function resampleLinear(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate || input.length === 0) return input;
  const out = new Float32Array(Math.max(1, Math.round((input.length * toRate) / fromRate)));
  const step = fromRate / toRate;
  for (let i = 0; i < out.length; i++) {
    const x = i * step;
    const k = Math.floor(x);
    const a = input[Math.min(k, input.length - 1)]!;
    const b = input[Math.min(k + 1, input.length - 1)]!;
    out[i] = a + (b - a) * (x - k);
  }
  return out;
}
