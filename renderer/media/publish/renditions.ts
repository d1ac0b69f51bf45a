/**
 * Rendition sizing: which video renditions a capture is encoded into. Pure arithmetic, so the choices
 * are unit-tested (renditions.test.ts) rather than discovered in a browser.
 */

/** One video rendition to encode. */
export interface RenditionPlan {
  /** Track-name suffix: `360p`, `720p`, `screen`. */
  label: string;
  width: number;
  height: number;
  framerate: number;
  /** Target bits per second. */
  bitrate: number;
}

/** Size and rate of a capture (MediaTrackSettings or the first frame). */
export interface CaptureSize {
  width: number;
  height: number;
  framerate?: number;
}

/** The heights the camera broadcast offers: a small one for grids and one for a spotlighted tile. */
const CAMERA_HEIGHTS = [360, 720] as const;
const CAMERA_MAX_FPS = 30;
/** Screen captures wider than this are scaled down: text stays legible and 1080p H.264 stays real-time. */
const SCREEN_MAX_WIDTH = 1920;
const SCREEN_FPS = { min: 15, max: 30 } as const;

const even = (n: number): number => Math.max(2, 2 * Math.round(n / 2));
const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** Bits per second for a size and rate: ~0.06 bit per pixel for camera content (500 kbit/s at 360p30). */
export function cameraBitrate(width: number, height: number, framerate: number): number {
  return Math.round(clamp(width * height * framerate * 0.06, 150_000, 2_500_000));
}

/** Screen content is sharp-edged text: twice the camera's bits per pixel, capped for the mesh's uplinks. */
export function screenBitrate(width: number, height: number, framerate: number): number {
  return Math.round(clamp(width * height * framerate * 0.12, 500_000, 4_000_000));
}

/**
 * Camera renditions: 360p and up to 720p, never upscaled. A capture no taller than 360 gives one
 * rendition at its own size; a 480-line capture gives 360p and 480p.
 */
export function cameraPlan(capture: CaptureSize): RenditionPlan[] {
  const framerate = Math.min(CAMERA_MAX_FPS, capture.framerate ?? CAMERA_MAX_FPS);
  const heights = new Set<number>();
  for (const h of CAMERA_HEIGHTS) heights.add(Math.min(h, even(capture.height)));
  return [...heights].map((height) => {
    const width = even((capture.width * height) / capture.height);
    return { label: `${height}p`, width, height, framerate, bitrate: cameraBitrate(width, height, framerate) };
  });
}

/** The screen rendition: the captured size, at most {@link SCREEN_MAX_WIDTH} wide, 15–30 fps. */
export function screenPlan(capture: CaptureSize): RenditionPlan {
  const framerate = clamp(capture.framerate ?? SCREEN_FPS.max, SCREEN_FPS.min, SCREEN_FPS.max);
  const scale = Math.min(1, SCREEN_MAX_WIDTH / capture.width);
  const width = even(capture.width * scale);
  const height = even(capture.height * scale);
  return { label: "screen", width, height, framerate, bitrate: screenBitrate(width, height, framerate) };
}

/** Whether two plans encode the same renditions (a device switch with equal plans keeps the encoders). */
export function samePlans(a: readonly RenditionPlan[], b: readonly RenditionPlan[]): boolean {
  return a.length === b.length && a.every((p, i) => JSON.stringify(p) === JSON.stringify(b[i]));
}
