/** Wall-clock time in nanoseconds since the UNIX epoch, the timestamp unit of room-state entries. */
export type Nanos = bigint;

/** Nanoseconds per millisecond. */
export const NS_PER_MS = 1_000_000n;

/** The system wall clock in nanoseconds (millisecond precision plus sub-millisecond from the monotonic clock). */
export function systemNowNs(): Nanos {
  const ms = performance.timeOrigin + performance.now();
  return BigInt(Math.floor(ms * 1000)) * 1000n;
}

/** Convert milliseconds to nanoseconds. */
export function msToNs(ms: number): Nanos {
  return BigInt(Math.round(ms)) * NS_PER_MS;
}
