/**
 * Video codec choice for the publish engine: which WebCodecs codec string and encoder config a rendition
 * uses. H.264 is preferred because Chromium's software H.264 is the cheapest encoder on small machines
 * (shared/reference/test-environment.md: 8 pages of 640×480@30 on 0.8 core, VP8 saturates at 2).
 */
import type { RenditionPlan } from "./renditions.ts";

/** Video codec families we encode, most preferred first. */
export const VIDEO_CODECS = ["h264", "vp8", "vp9"] as const;
/** A video codec family. */
export type VideoCodecKind = (typeof VIDEO_CODECS)[number];

// H.264 levels (Table A-1): max frame size in macroblocks and max macroblocks per second.
const AVC_LEVELS: readonly { idc: number; frame: number; rate: number }[] = [
  { idc: 0x1e, frame: 1620, rate: 40_500 }, // 3.0
  { idc: 0x1f, frame: 3600, rate: 108_000 }, // 3.1
  { idc: 0x20, frame: 5120, rate: 216_000 }, // 3.2
  { idc: 0x28, frame: 8192, rate: 245_760 }, // 4.0
  { idc: 0x2a, frame: 8704, rate: 522_240 }, // 4.2
  { idc: 0x32, frame: 22_080, rate: 589_824 }, // 5.0
  { idc: 0x33, frame: 36_864, rate: 983_040 }, // 5.1
  { idc: 0x34, frame: 36_864, rate: 2_073_600 }, // 5.2
];

/** The lowest H.264 level that fits a size and rate (Chromium rejects configs whose level is too low). */
export function avcLevel(width: number, height: number, framerate: number): number {
  const mbs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const level = AVC_LEVELS.find((l) => mbs <= l.frame && mbs * framerate <= l.rate);
  if (level === undefined) throw new RangeError(`no H.264 level fits ${width}x${height}@${framerate}`);
  return level.idc;
}

/**
 * The codec string of a rendition. H.264 is `avc3` (parameter sets in-band, Annex B) in the constrained
 * baseline profile, so the catalog needs no `description` and any keyframe starts a decodable stream.
 */
export function codecString(kind: VideoCodecKind, width: number, height: number, framerate: number): string {
  switch (kind) {
    case "h264":
      return `avc3.42e0${avcLevel(width, height, framerate).toString(16).padStart(2, "0")}`;
    case "vp8":
      return "vp8";
    case "vp9":
      return "vp09.00.10.08";
    default:
      throw new Error(`unknown codec ${kind as string}`);
  }
}

/** The WebCodecs encoder config of a rendition. */
export function encoderConfig(kind: VideoCodecKind, r: RenditionPlan): VideoEncoderConfig {
  return {
    codec: codecString(kind, r.width, r.height, r.framerate),
    width: r.width,
    height: r.height,
    bitrate: r.bitrate,
    framerate: r.framerate,
    latencyMode: "realtime",
    hardwareAcceleration: "no-preference",
    ...(kind === "h264" && { avc: { format: "annexb" as const } }),
  };
}

/** Asks the platform whether an encoder config works (VideoEncoder.isConfigSupported in the browser). */
export type ConfigProbe = (config: VideoEncoderConfig) => Promise<boolean>;

/** The browser's own probe; an exception counts as unsupported. */
export const browserProbe: ConfigProbe = async (config) => {
  try {
    return (await VideoEncoder.isConfigSupported(config)).supported === true;
  } catch {
    return false;
  }
};

/** The most preferred codec that can encode every rendition in `plans`, or undefined when none can. */
export async function chooseVideoCodec(plans: readonly RenditionPlan[], probe: ConfigProbe = browserProbe): Promise<VideoCodecKind | undefined> {
  for (const kind of VIDEO_CODECS) {
    const results = await Promise.all(plans.map((p) => probe(encoderConfig(kind, p))));
    if (results.every(Boolean)) return kind;
  }
  return undefined;
}
