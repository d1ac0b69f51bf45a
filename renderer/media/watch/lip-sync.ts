/**
 * Which capture instant the video shows now, given the audio clock: the lip-sync policy.
 *
 * Sound takes a longer path than pictures (a jitter buffer, then the output device), so matching them
 * exactly means holding every frame back by the difference, which people see as delay in a conversation.
 * Sound that comes late is the direction people forgive: ITU-R BT.1359 puts the detection threshold of
 * late sound at about 125 ms (early sound at 45 ms). So video runs ahead of the sound by up to
 * {@link LIP_SYNC_LEAD_US} plus the painter's one-refresh allowance (20 ms), 120 ms in all, and is held
 * back only for sound later than that, and never by more than {@link MAX_VIDEO_HOLD_US}: a starved or
 * underrunning audio path (a busy machine) must not freeze a picture whose frames decode fine.
 *
 * Measured (bench app-media, 2 peers on the 2-core test machine, sound glass-to-glass ~120–160 ms):
 * with video held to within 80 ms of the sound instead, its glass-to-glass p50 was 51–76 ms rather than
 * 27–28 ms, for a skew people do not notice either way. WebRTC's own page in the same runs shows its
 * video ~80–100 ms ahead of its sound.
 */

/** How far ahead of the sound the clock may run; the painter shows frames up to 20 ms ahead of it. */
export const LIP_SYNC_LEAD_US = 100_000;
/** Most the video is held behind its own live edge waiting for the sound. */
export const MAX_VIDEO_HOLD_US = 100_000;

/**
 * The presentation clock (µs since the epoch) for video whose live edge is `liveUs`, with the sound at
 * `audioUs` (undefined without audio: the live edge).
 */
export function presentationClockUs(liveUs: number, audioUs: number | undefined): number {
  if (audioUs === undefined) return liveUs;
  const hold = Math.min(MAX_VIDEO_HOLD_US, Math.max(0, liveUs - audioUs - LIP_SYNC_LEAD_US));
  return liveUs - hold;
}
