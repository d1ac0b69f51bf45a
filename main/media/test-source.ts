/**
 * A synthetic camera and microphone for headless peers: loops the committed test clip
 * (assets/test-clip/clip.json, made by scripts/gen-test-clip.ts) with fresh wall-clock timestamps,
 * so a CLI peer is a real participant whose video and audio any hang player can decode.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AudioConfig, VideoConfig } from "../../shared/media/catalog.ts";
import type { LocalBroadcast, MediaTrackWriter } from "./local-broadcast.ts";
import { wallClockMicros } from "./time.ts";

interface ClipFrame { ts: number; key?: boolean; data: string }
interface Clip {
  durationUs: number;
  video: { codec: string; codedWidth: number; codedHeight: number; framerate: number; bitrate: number; frames: ClipFrame[] };
  audio: { codec: string; sampleRate: number; numberOfChannels: number; bitrate: number; description?: string; frames: ClipFrame[] };
}

/** Track names the test source publishes. */
export const TEST_TRACKS = { video: "video/h264-360p", audio: "audio/opus" } as const;

let cached: Clip | undefined;
function clip(): Clip {
  cached ??= JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "assets", "test-clip", "clip.json"), "utf8")) as Clip;
  return cached;
}

type Decoded = { ts: number; key: boolean; data: Uint8Array };
const decode = (frames: ClipFrame[], durationUs: number): Decoded[] =>
  frames.filter((f) => f.ts < durationUs).map((f) => ({ ts: f.ts, key: f.key ?? true, data: Buffer.from(f.data, "base64") }));

/** Loop frames into a writer at their own pace; returns the function that stops the loop. */
function loop(writer: MediaTrackWriter, frames: Decoded[], durationUs: number, onFrame?: () => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const start = wallClockMicros();
  let i = 0;
  const tick = (): void => {
    if (stopped) return;
    // Write every frame that is due, then sleep until the next one (no drift, no burst after a stall).
    for (;;) {
      const f = frames[i % frames.length]!;
      const due = start + Math.floor(i / frames.length) * durationUs + f.ts;
      const now = wallClockMicros();
      if (due > now) {
        timer = setTimeout(tick, Math.max(1, (due - now) / 1000));
        return;
      }
      writer.writeFrame(now, f.data, f.key);
      onFrame?.();
      i++;
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Start the synthetic camera on a broadcast; stopping removes the rendition. */
export function startTestVideo(b: LocalBroadcast): () => void {
  const c = clip();
  const { frames, ...v } = c.video;
  const config: VideoConfig = { ...v, container: { kind: "legacy" }, optimizeForLatency: true };
  const writer = b.addVideo(TEST_TRACKS.video, config);
  const stop = loop(writer, decode(frames, c.durationUs), c.durationUs);
  return () => {
    stop();
    b.remove(TEST_TRACKS.video);
  };
}

/** Start the synthetic microphone (a beep every second) on a broadcast; stopping removes the rendition. */
export function startTestAudio(b: LocalBroadcast): () => void {
  const c = clip();
  const { frames, description, ...a } = c.audio;
  const config: AudioConfig = { ...a, container: { kind: "legacy" }, ...(description !== undefined && { description }) };
  const writer = b.addAudio(TEST_TRACKS.audio, config);
  const stop = loop(writer, decode(frames, c.durationUs), c.durationUs);
  return () => {
    stop();
    b.remove(TEST_TRACKS.audio);
  };
}
