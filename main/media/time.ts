/** Wall-clock microseconds: the timestamp base of everything we publish, so receivers can measure delay. */
export function wallClockMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
