/// <reference lib="dom" />
/**
 * Generates assets/test-clip/clip.json: a 2-second H.264 (Annex B, so "avc3") + Opus clip that the
 * `rooms --publish test` peer loops with fresh timestamps, so a headless peer shows as a real moving
 * video tile with sound in the app.
 *
 * The clip is encoded by Chromium's WebCodecs (Debian's /usr/bin/chromium), the same encoder family
 * the app uses. Run: `node scripts/gen-test-clip.ts` (needs chromium; the output is committed).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "@playwright/test";

const OUT = join(import.meta.dirname, "..", "assets", "test-clip", "clip.json");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless=new", "--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
// WebCodecs needs a secure context; http://localhost counts as one, served here without any server.
await page.route("http://localhost/clip", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>clip</title>" }));
await page.goto("http://localhost/clip");
const clip = await page.evaluate(async () => {
  const W = 640, H = 360, FPS = 30, SECONDS = 2, RATE = 48_000;
  const b64 = (u: Uint8Array): string => btoa(String.fromCharCode(...u));
  const video: { ts: number; key: boolean; data: string }[] = [];
  const enc = new VideoEncoder({
    output: (chunk) => {
      const buf = new Uint8Array(chunk.byteLength);
      chunk.copyTo(buf);
      video.push({ ts: chunk.timestamp, key: chunk.type === "key", data: b64(buf) });
    },
    error: (e) => { throw e; },
  });
  const codec = "avc1.42e01e";
  enc.configure({ codec, width: W, height: H, bitrate: 600_000, framerate: FPS, avc: { format: "annexb" } });
  const canvas = new OffscreenCanvas(W, H);
  const g = canvas.getContext("2d")!;
  for (let i = 0; i < FPS * SECONDS; i++) {
    const t = i / (FPS * SECONDS);
    g.fillStyle = `hsl(${Math.round(t * 360)} 55% 35%)`;
    g.fillRect(0, 0, W, H);
    g.fillStyle = "#fff";
    g.beginPath();
    g.arc(W * (0.15 + 0.7 * t), H / 2 + Math.sin(t * Math.PI * 4) * 90, 40, 0, Math.PI * 2);
    g.fill();
    g.font = "bold 48px sans-serif";
    g.fillText(`Live Rooms test ${String(i).padStart(2, "0")}`, 24, 64);
    const frame = new VideoFrame(canvas, { timestamp: Math.round((i * 1e6) / FPS) });
    enc.encode(frame, { keyFrame: i % FPS === 0 });
    frame.close();
  }
  await enc.flush();

  const audio: { ts: number; data: string }[] = [];
  let audioConfig: AudioDecoderConfig | undefined;
  const aenc = new AudioEncoder({
    output: (chunk, meta) => {
      if (meta?.decoderConfig) audioConfig = meta.decoderConfig;
      const buf = new Uint8Array(chunk.byteLength);
      chunk.copyTo(buf);
      audio.push({ ts: chunk.timestamp, data: b64(buf) });
    },
    error: (e) => { throw e; },
  });
  aenc.configure({ codec: "opus", sampleRate: RATE, numberOfChannels: 1, bitrate: 32_000 });
  const per = RATE / 50; // 20 ms
  for (let f = 0; f < 50 * SECONDS; f++) {
    const pcm = new Float32Array(per);
    for (let s = 0; s < per; s++) {
      const n = f * per + s;
      const inBeep = (n % RATE) < RATE * 0.15; // a 150 ms beep at the start of every second
      pcm[s] = inBeep ? 0.3 * Math.sin((2 * Math.PI * 880 * n) / RATE) : 0.02 * Math.sin((2 * Math.PI * 220 * n) / RATE);
    }
    aenc.encode(new AudioData({ format: "f32", sampleRate: RATE, numberOfChannels: 1, numberOfFrames: per, timestamp: Math.round((f * 1e6) / 50), data: pcm }));
  }
  await aenc.flush();
  const desc = audioConfig?.description;
  const descHex = desc ? [...new Uint8Array(desc as ArrayBuffer)].map((x) => x.toString(16).padStart(2, "0")).join("") : undefined;
  return {
    durationUs: SECONDS * 1e6,
    video: { codec: codec.replace("avc1", "avc3"), codedWidth: W, codedHeight: H, framerate: FPS, bitrate: 600_000, frames: video },
    audio: { codec: "opus", sampleRate: RATE, numberOfChannels: 1, bitrate: 32_000, description: descHex, frames: audio },
  };
});
await browser.close();
writeFileSync(OUT, JSON.stringify(clip) + "\n");
console.log(`wrote ${OUT}: ${clip.video.frames.length} video frames, ${clip.audio.frames.length} audio frames`);
