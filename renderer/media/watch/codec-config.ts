/**
 * Catalog renditions → WebCodecs decoder configs, and whether this browser can decode them. Support is
 * asked once per distinct config: `isConfigSupported` is async and not free, and catalogs repeat.
 */
import type { AudioConfig, VideoConfig } from "../../../shared/media/catalog.ts";

/** Bytes of a hex string (the catalog's `description`); the catalog schema already checked the digits. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The VideoDecoder config of a rendition. avc3 (Annex B, in-band SPS/PPS) comes without description. */
export function videoDecoderConfig(c: VideoConfig): VideoDecoderConfig {
  const cfg: VideoDecoderConfig = { codec: c.codec, optimizeForLatency: c.optimizeForLatency ?? true };
  if (c.codedWidth !== undefined) cfg.codedWidth = c.codedWidth;
  if (c.codedHeight !== undefined) cfg.codedHeight = c.codedHeight;
  if (c.displayAspectWidth !== undefined) cfg.displayAspectWidth = c.displayAspectWidth;
  if (c.displayAspectHeight !== undefined) cfg.displayAspectHeight = c.displayAspectHeight;
  if (c.description !== undefined && c.description.length > 0) cfg.description = hexBytes(c.description);
  return cfg;
}

/** The AudioDecoder config of a rendition. */
export function audioDecoderConfig(c: AudioConfig): AudioDecoderConfig {
  const cfg: AudioDecoderConfig = { codec: c.codec, sampleRate: c.sampleRate, numberOfChannels: c.numberOfChannels };
  if (c.description !== undefined && c.description.length > 0) cfg.description = hexBytes(c.description);
  return cfg;
}

/** Only hang's legacy container (`varint(µs) ‖ bitstream`) is read here; cmaf/loc renditions are skipped. */
export function isLegacyContainer(c: VideoConfig | AudioConfig): boolean {
  return c.container.kind === "legacy";
}

const cache = new Map<string, Promise<boolean>>();

function memo(key: string, ask: () => Promise<{ supported?: boolean }>): Promise<boolean> {
  let p = cache.get(key);
  if (p === undefined) {
    // A config the browser cannot even parse throws (TypeError) instead of answering false.
    p = ask().then((r) => r.supported === true, () => false);
    cache.set(key, p);
  }
  return p;
}

/** Whether a VideoDecoder here accepts the rendition. */
export function videoSupported(c: VideoConfig): Promise<boolean> {
  if (typeof VideoDecoder === "undefined" || !isLegacyContainer(c)) return Promise.resolve(false);
  return memo(`v${JSON.stringify(c)}`, () => VideoDecoder.isConfigSupported(videoDecoderConfig(c)));
}

/** Whether an AudioDecoder here accepts the rendition. */
export function audioSupported(c: AudioConfig): Promise<boolean> {
  if (typeof AudioDecoder === "undefined" || !isLegacyContainer(c)) return Promise.resolve(false);
  return memo(`a${JSON.stringify(c)}`, () => AudioDecoder.isConfigSupported(audioDecoderConfig(c)));
}
