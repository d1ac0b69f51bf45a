/**
 * The watch engine (renderer/media/watch) in real Chromium: the media lab page (e2e/harness/watch.ts)
 * publishes its own hang broadcast in the page and plays it through RemotePlayer. Every check waits for a
 * condition the player reports; nothing sleeps to synchronise.
 */
import { expect, test, type Page } from "@playwright/test";
import type { PlayerState, PlayerStats } from "../renderer/media/watch/index.ts";
import { startHarness, type Harness } from "./harness/server.ts";
import type { Held } from "./harness/watch-source.ts";

interface Lab {
  start(renditions: { name: string; codec: string; width: number; height: number }[], audio?: boolean): void;
  startClip(): void;
  stop(): void;
  setListed(kind: "audio" | "video", on: boolean): void;
  badCatalog(): void;
  goodCatalog(): void;
  garbage(kind: "container" | "bitstream"): void;
  /** What was held of each video rendition. */
  stall(ms: number): Promise<Record<string, Held>>;
  audioJump(ms: number): void;
  setViewport(w: number, h: number): void;
  state(): PlayerState;
  stats(): PlayerStats;
  level(): number;
  audioContextState(): string;
  logs(): string[];
  pixels(): number[];
  canvasSize(): [number, number];
}
declare const lab: Lab;

const HD = { name: "video/hd", codec: "avc3.42e01e", width: 640, height: 360 };
const SD = { name: "video/sd", codec: "vp8", width: 320, height: 180 };

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness();
});
test.afterAll(async () => {
  await harness?.close();
});

async function open(page: Page, isolated = true): Promise<void> {
  page.on("console", (m) => {
    if (m.type() === "error") console.log(`[page] ${m.text()}`);
  });
  await page.goto(harness.page("watch") + (isolated ? "" : "?isolated=0"));
  expect(await page.evaluate(() => crossOriginIsolated), "decoded audio goes to the worklet through shared memory only where the page is isolated").toBe(isolated);
  await page.waitForFunction(() => typeof (window as unknown as { lab?: unknown }).lab === "object");
}

const stats = (page: Page): Promise<PlayerStats> => page.evaluate(() => lab.stats());
const state = (page: Page): Promise<PlayerState> => page.evaluate(() => lab.state());

/** Resume the shared AudioContext the way the app does: from a click. */
async function enableAudio(page: Page): Promise<void> {
  await page.click("#resume");
  await expect.poll(() => page.evaluate(() => lab.audioContextState())).toBe("running");
}

const differs = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + Math.abs(v - (b[i] ?? 0)), 0);

test("plays video and audio: frames decode, the canvas moves, audio is heard and in the stats", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r), [HD]);
  await enableAudio(page);
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/hd", width: 640, height: 360 });
  await expect.poll(async () => (await state(page)).audio).toMatchObject({ kind: "playing" });
  const s0 = await stats(page);
  await expect.poll(async () => (await stats(page)).framesDecoded).toBeGreaterThan(s0.framesDecoded + 30);

  expect(await page.evaluate(() => lab.canvasSize())).toEqual([640, 360]);
  const first = await page.evaluate(() => lab.pixels());
  expect(first.some((v) => v > 40), "canvas is not black").toBe(true);
  await expect.poll(async () => differs(first, await page.evaluate(() => lab.pixels())), { message: "canvas is not frozen" }).toBeGreaterThan(100);

  await expect.poll(() => page.evaluate(() => lab.level())).toBeGreaterThan(0.1);
  await expect.poll(async () => (await stats(page)).audioOutputPeak, { message: "the worklet outputs sound" }).toBeGreaterThan(0.1);
  // A modest bar: other suites share this 2-core machine; steady-state is ~30 fps when idle.
  await expect.poll(async () => (await stats(page)).paintedFps).toBeGreaterThan(10);
  const s = await stats(page);
  console.log(`lab stats: ${JSON.stringify(s)}`);
  expect(s).toMatchObject({ videoCodec: "avc3.42e01e", rendition: "video/hd", audioCodec: "opus", badFrames: 0, decoderErrors: 0, badCatalogs: 0 });
  expect(s.receiveBitsPerSecond).toBeGreaterThan(50_000);
  expect(s.delayMs).toBeGreaterThan(0);
  expect(s.delayMs).toBeLessThan(400);
  expect(s.jitterBufferMs).toBeLessThanOrEqual(150);
});

test("plays audio where the page cannot share memory (decoded audio posted to the worklet)", async ({ page }) => {
  await open(page, false);
  await page.evaluate((r) => lab.start(r), [HD]);
  await enableAudio(page);
  await expect.poll(async () => (await state(page)).audio).toMatchObject({ kind: "playing" });
  await expect.poll(async () => (await stats(page)).audioOutputPeak, { message: "the worklet outputs sound" }).toBeGreaterThan(0.1);
  expect((await stats(page)).jitterBufferMs).toBeLessThanOrEqual(150);
});

test("catalog changes: no audio section shows muted and stops sound; no video section shows camera off; both come back", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r), [SD]);
  await enableAudio(page);
  await expect.poll(async () => (await state(page)).audio.kind).toBe("playing");
  await expect.poll(async () => (await stats(page)).audioOutputPeak).toBeGreaterThan(0.1);

  await page.evaluate(() => lab.setListed("audio", false));
  await expect.poll(async () => (await state(page)).audio.kind).toBe("muted");
  expect(await page.evaluate(() => lab.level())).toBe(0);
  expect((await stats(page)).audioCodec).toBeUndefined();
  expect((await state(page)).video.kind).toBe("playing");

  await page.evaluate(() => lab.setListed("video", false));
  await expect.poll(async () => (await state(page)).video.kind).toBe("off");
  const decoded = (await stats(page)).framesDecoded;

  await page.evaluate(() => (lab.setListed("video", true), lab.setListed("audio", true)));
  await expect.poll(async () => (await state(page)).video.kind).toBe("playing");
  await expect.poll(async () => (await state(page)).audio.kind).toBe("playing");
  await expect.poll(async () => (await stats(page)).framesDecoded).toBeGreaterThan(decoded + 10);
});

test("garbage: a rejected catalog shows nothing until a valid one; bad frames are counted and playback recovers", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r, false), [HD]);
  await expect.poll(async () => (await state(page)).video.kind).toBe("playing");

  await page.evaluate(() => lab.badCatalog());
  await expect.poll(async () => (await state(page)).catalog).toBe("invalid");
  expect((await state(page)).video.kind).toBe("off");
  expect((await stats(page)).badCatalogs).toBe(1);
  await page.evaluate(() => lab.goodCatalog());
  await expect.poll(async () => (await state(page)).video.kind).toBe("playing");

  for (const kind of ["container", "bitstream"] as const) {
    await page.evaluate((k) => lab.garbage(k), kind);
  }
  await expect.poll(async () => (await stats(page)).badFrames).toBeGreaterThanOrEqual(1);
  await expect.poll(async () => (await stats(page)).decoderErrors).toBeGreaterThanOrEqual(1);
  const after = await stats(page);
  await expect.poll(async () => (await stats(page)).framesDecoded, { message: "decoding resumes at the next keyframe" }).toBeGreaterThan(after.framesDecoded + 30);
  expect((await page.evaluate(() => lab.logs())).some((l) => l.includes("catalog rejected"))).toBe(true);
});

test("renditions: the viewport picks the smallest covering one, switching without a gap", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r, false), [HD, SD]);
  await page.evaluate(() => lab.setViewport(300, 170));
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/sd", width: 320, height: 180 });
  await expect.poll(() => page.evaluate(() => lab.canvasSize())).toEqual([320, 180]);

  await page.evaluate(() => lab.setViewport(600, 340));
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/hd", width: 640, height: 360 });
  await expect.poll(() => page.evaluate(() => lab.canvasSize())).toEqual([640, 360]);
  expect((await stats(page)).videoCodec).toBe("avc3.42e01e");

  await page.evaluate(() => lab.setViewport(1920, 1080));
  await expect.poll(async () => (await stats(page)).framesDecoded).toBeGreaterThan((await stats(page)).framesDecoded + 10);
  expect((await state(page)).video).toMatchObject({ rendition: "video/hd" });
});

test("a stall skips to the live edge: stale frames and audio are dropped, delay comes back down", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r), [HD]);
  await enableAudio(page);
  await expect.poll(async () => (await state(page)).audio.kind).toBe("playing");
  await expect.poll(async () => (await stats(page)).paintedFps).toBeGreaterThan(5);
  const before = await stats(page);

  const held = (await page.evaluate(() => lab.stall(800)))[HD.name]!;
  await expect.poll(async () => (await stats(page)).liveEdgeSkips, { message: "jumped to a newer keyframe" }).toBeGreaterThan(before.liveEdgeSkips);
  expect(held.beforeLastKey, "an 800 ms stall holds at least one keyframe (a group is 500 ms)").toBeGreaterThan(0);
  // The reader jumps to the newest keyframe: everything held before it is dropped undecoded. The frames of
  // that last group are decoded (they depend on each other) and painted or dropped depending on how the
  // decoder's output falls against the painter's timer, so they are not counted on (CI saw only 9 drops).
  await expect.poll(async () => (await stats(page)).framesDropped).toBeGreaterThanOrEqual(before.framesDropped + held.beforeLastKey);
  await expect.poll(async () => (await stats(page)).audioDroppedMs).toBeGreaterThan(before.audioDroppedMs + 300);
  await expect.poll(async () => (await stats(page)).delayMs ?? Infinity, { message: "back at the live edge" }).toBeLessThan(200);
  const s = await stats(page);
  console.log(`after stall: held ${held.frames} frames (${held.beforeLastKey} before the last keyframe), dropped ${s.framesDropped - before.framesDropped}, ${Math.round(s.audioDroppedMs - before.audioDroppedMs)} ms audio, delay ${s.delayMs?.toFixed(0)} ms, concealed ${Math.round(s.audioConcealedMs - before.audioConcealedMs)} ms in ${s.audioUnderruns - before.audioUnderruns} underruns`);
  // The tone went on for a moment when the buffer ran dry (concealment.ts), fading out rather than buzzing
  // through the whole 800 ms stall: at most 60 ms of substitute per underrun.
  const underruns = s.audioUnderruns - before.audioUnderruns;
  expect(underruns).toBeGreaterThan(0);
  expect(s.audioConcealedMs - before.audioConcealedMs).toBeGreaterThan(30);
  expect(s.audioConcealedMs - before.audioConcealedMs).toBeLessThanOrEqual(61 * underruns);
});

test("the audio clock follows the packets' timestamps across a jump in them (a sender whose capture dropped audio)", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r), [HD]);
  await enableAudio(page);
  await expect.poll(async () => (await stats(page)).audioDelayMs ?? Infinity).toBeLessThan(500);
  const before = (await stats(page)).audioDelayMs!;
  // The decoder's own output timestamps ignore the jump: a clock built on them would stay where it was.
  await page.evaluate(() => lab.audioJump(2_000));
  await expect.poll(async () => (await stats(page)).audioDelayMs ?? Infinity, { message: "the sound heard is stamped 2 s later" }).toBeLessThan(before - 1_500);
  await expect.poll(async () => (await state(page)).audio).toMatchObject({ kind: "playing" });
});

test("falling behind repeatedly drops to the lower rendition", async ({ page }) => {
  await open(page);
  await page.evaluate((r) => lab.start(r, false), [HD, SD]);
  await page.evaluate(() => lab.setViewport(640, 360));
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/hd" });
  // Each 700 ms stall spans a keyframe (one every 500 ms), so the reader finds a newer group to skip to.
  for (let i = 0; i < 3 && (await state(page)).video.kind === "playing" && (await stats(page)).rendition === "video/hd"; i++) {
    await page.evaluate(() => lab.stall(700));
  }
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/sd" });
});

test("the committed test clip (avc3 H.264 640x360 + Opus) decodes and plays", async ({ page }) => {
  await open(page);
  await page.evaluate(() => lab.startClip());
  await enableAudio(page);
  await expect.poll(async () => (await state(page)).video).toMatchObject({ kind: "playing", rendition: "video/clip", width: 640, height: 360 });
  await expect.poll(async () => (await state(page)).audio.kind).toBe("playing");
  await expect.poll(async () => (await stats(page)).framesDecoded).toBeGreaterThan(60);
  const s = await stats(page);
  expect(s).toMatchObject({ videoCodec: "avc3.42e01e", decoderErrors: 0, badFrames: 0 });
  console.log(`clip stats: ${JSON.stringify(s)}`);
});
