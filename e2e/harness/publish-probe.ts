/**
 * The publish lab's view from the other end: reads a published broadcast in-process as a subscriber
 * would (catalog, frames, decodability) so the spec can check what the engine put on the wire.
 */
/// <reference lib="dom" />
import type * as Moq from "@moq/net";
import { decodeCatalog, type AudioConfig, type Catalog, type VideoConfig } from "../../shared/media/catalog.ts";
import { decodeLegacyFrame } from "../../shared/media/container.ts";

/** One received frame. */
export interface SampledFrame {
  group: number;
  index: number;
  timestampUs: number;
  /** Wall-clock µs when the frame was read. */
  receivedUs: number;
  bytes: number;
}

/** A decoded picture's brightness and contrast (a black or frozen-grey frame has neither). */
export interface Picture {
  width: number;
  height: number;
  mean: number;
  std: number;
}

const wallUs = (): number => Math.floor((performance.timeOrigin + performance.now()) * 1000);

/** Keeps the newest catalog of a broadcast, as a remote peer would. */
export class CatalogWatcher {
  latest: Catalog | undefined;
  versions = 0;
  error: string | undefined;

  constructor(producer: Moq.Broadcast.Producer) {
    void this.#run(producer.consume().subscribe("catalog.json"));
  }

  async #run(sub: Moq.Track.Subscriber): Promise<void> {
    try {
      for (let g = await sub.recvGroup(); g !== undefined; g = await sub.recvGroup()) {
        const f = await g.readFrame();
        if (f === undefined) continue;
        this.latest = decodeCatalog(f.payload);
        this.versions++;
      }
    } catch (err) {
      this.error = String(err);
    }
  }
}

/** Read `count` frames of a track (every group, in order), then unsubscribe. */
export async function sampleFrames(producer: Moq.Broadcast.Producer, track: string, count: number): Promise<{ frames: SampledFrame[]; payloads: Uint8Array[] }> {
  const sub = producer.consume().subscribe(track, { ordered: true });
  const frames: SampledFrame[] = [];
  const payloads: Uint8Array[] = [];
  try {
    while (frames.length < count) {
      const g = await sub.recvGroup();
      if (g === undefined) break;
      for (let index = 0; frames.length < count; index++) {
        const f = await g.readFrame();
        if (f === undefined) break;
        const { timestampUs, payload } = decodeLegacyFrame(f.payload);
        frames.push({ group: g.sequence, index, timestampUs, receivedUs: wallUs(), bytes: payload.byteLength });
        payloads.push(payload);
      }
    }
  } finally {
    sub.close();
  }
  return { frames, payloads };
}

/** Brightness statistics of a frame, drawn small. */
function measure(frame: VideoFrame): Picture {
  const canvas = new OffscreenCanvas(64, 36);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(frame, 0, 0, 64, 36);
  const px = ctx.getImageData(0, 0, 64, 36).data;
  const lum: number[] = [];
  for (let i = 0; i < px.length; i += 4) lum.push(0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!);
  const mean = lum.reduce((a, b) => a + b, 0) / lum.length;
  const std = Math.sqrt(lum.reduce((a, b) => a + (b - mean) ** 2, 0) / lum.length);
  return { width: frame.displayWidth, height: frame.displayHeight, mean, std };
}

/** Decode `chunks` with a fresh decoder configured from the catalog; the first chunk is declared a keyframe. */
export async function decodeVideo(config: VideoConfig, chunks: Uint8Array[], timestamps: number[]): Promise<{ pictures: Picture[]; error?: string }> {
  const pictures: Picture[] = [];
  let error: string | undefined;
  const decoder = new VideoDecoder({
    output: (f) => {
      pictures.push(measure(f));
      f.close();
    },
    error: (e) => (error = e.message),
  });
  const { codec, codedWidth, codedHeight, optimizeForLatency } = config;
  decoder.configure({ codec, codedWidth, codedHeight, optimizeForLatency });
  chunks.forEach((data, i) => decoder.decode(new EncodedVideoChunk({ type: i === 0 ? "key" : "delta", timestamp: timestamps[i]!, data })));
  try {
    await decoder.flush();
  } catch (e) {
    error ??= String(e);
  }
  if (decoder.state !== "closed") decoder.close();
  return { pictures, ...(error !== undefined && { error }) };
}

/** Decode Opus packets; returns how many decoded and the loudest packet's RMS. */
export async function decodeAudio(config: AudioConfig, chunks: Uint8Array[], timestamps: number[]): Promise<{ decoded: number; peakRms: number; error?: string }> {
  let decoded = 0;
  let peakRms = 0;
  let error: string | undefined;
  const decoder = new AudioDecoder({
    output: (d) => {
      const buf = new Float32Array(d.numberOfFrames);
      d.copyTo(buf, { planeIndex: 0, format: "f32-planar" });
      peakRms = Math.max(peakRms, Math.sqrt(buf.reduce((a, s) => a + s * s, 0) / buf.length));
      decoded++;
      d.close();
    },
    error: (e) => (error = e.message),
  });
  decoder.configure({ codec: config.codec, sampleRate: config.sampleRate, numberOfChannels: config.numberOfChannels });
  chunks.forEach((data, i) => decoder.decode(new EncodedAudioChunk({ type: "key", timestamp: timestamps[i]!, data })));
  try {
    await decoder.flush();
  } catch (e) {
    error ??= String(e);
  }
  if (decoder.state !== "closed") decoder.close();
  return { decoded, peakRms, ...(error !== undefined && { error }) };
}
