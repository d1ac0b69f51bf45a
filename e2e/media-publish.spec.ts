/**
 * The renderer's publish engine in real Chromium with fake devices (e2e/harness/publish.html): what it
 * puts on the wire, read back in-process as a subscriber would. Waits are on conditions, never timers.
 */
import { chromium, expect, test, type Page } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.ts";
import type { Lab } from "./harness/publish.ts";
import { PACKETS_PER_GROUP } from "../renderer/media/publish/audio-rendition.ts";
import { startHarness, type Harness } from "./harness/server.ts";

let harness: Harness;
test.beforeAll(async () => {
  harness = await startHarness();
});
test.afterAll(async () => {
  await harness.close();
});

type LabWindow = { lab: Lab };
let pageErrors: string[] = [];

/** Open the lab and start the engine; uncaught page errors fail the test (afterEach). */
async function openLab(page: Page, start: Parameters<Lab["start"]>[0]): Promise<void> {
  pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(harness.page("publish"));
  await expect(page.locator("#status")).toHaveText("ready");
  await page.evaluate((s) => (window as unknown as LabWindow).lab.start(s), start);
}

test.afterEach(() => {
  expect(pageErrors, "uncaught errors in the lab page").toEqual([]);
});

/** Run `fn(window.lab, arg)` in the page; `fn` is sent as source, so it may use only `arg`, not closures. */
const lab = <T, A = undefined>(page: Page, fn: (lab: Lab, arg: A) => T | Promise<T>, arg?: A): Promise<T> =>
  page.evaluate<T>(`(${fn.toString()})(window.lab, ${JSON.stringify(arg ?? null)})`);

const catalog = (page: Page, name: "camera" | "screen") => lab(page, (l, n) => l.catalog(n) ?? null, name);
const rendition = async (page: Page, track: string) => (await lab(page, (l) => l.stats())).broadcasts.flatMap((b) => b.renditions).find((r) => r.track === track);

test("camera broadcast: catalog, renditions encoded only on demand, wall-clock timestamps, decodable keyframes", async ({ page }) => {
  await openLab(page, { camera: true, microphone: true });
  await expect.poll(async () => Object.keys((await catalog(page, "camera"))?.video?.renditions ?? {}).sort()).toEqual(["video/h264-360p", "video/h264-720p"]);
  const cat = (await catalog(page, "camera"))!;
  expect(cat.video!.renditions["video/h264-360p"]).toMatchObject({ codec: "avc3.42e01e", codedWidth: 640, codedHeight: 360, optimizeForLatency: true, container: { kind: "legacy" } });
  expect(cat.video!.renditions["video/h264-720p"]).toMatchObject({ codec: "avc3.42e01f", codedWidth: 1280, codedHeight: 720 });
  expect(cat.audio!.renditions["audio/opus"]).toMatchObject({ codec: "opus", sampleRate: 48_000, numberOfChannels: 1 });
  expect(await lab(page, (l) => l.catalogError("camera"))).toBeUndefined();

  // Nobody subscribes yet: no encoder runs.
  for (const track of ["video/h264-360p", "video/h264-720p", "audio/opus"]) expect((await rendition(page, track))?.encoding).toBe(false);

  // 50 frames at the fake camera's 20 fps span the 2 s keyframe interval: at least two groups.
  const sampling = lab(page, (l) => l.sampleVideo("camera", "video/h264-360p", 50));
  await expect.poll(async () => (await rendition(page, "video/h264-360p"))?.encoding).toBe(true);
  expect((await rendition(page, "video/h264-720p"))?.encoding).toBe(false);
  const video = await sampling;
  const { frames } = video;
  expect(frames).toHaveLength(50);
  for (const [i, f] of frames.entries()) {
    if (i > 0) expect(f.timestampUs, `frame ${i} timestamp increases`).toBeGreaterThan(frames[i - 1]!.timestampUs);
    const delayUs = f.receivedUs - f.timestampUs;
    expect(delayUs, `frame ${i}: capture-to-receipt delay`).toBeGreaterThanOrEqual(0);
    expect(delayUs, `frame ${i}: capture-to-receipt delay`).toBeLessThan(500_000);
  }
  expect(video.groupStarts.length).toBeGreaterThanOrEqual(2);
  for (const g of video.groupStarts) expect(g, "a group's first frame decodes on its own").toEqual({ group: g.group, pictures: 1, error: undefined });
  expect(video.decoded.error).toBeUndefined();
  expect(video.decoded.pictures).toHaveLength(50);
  for (const p of video.decoded.pictures) {
    expect(p).toMatchObject({ width: 640, height: 360 });
    expect(p.mean, "not black").toBeGreaterThan(20);
    expect(p.std, "not a flat picture").toBeGreaterThan(5);
  }
  // The subscription is gone: the encoder is released.
  await expect.poll(async () => (await rendition(page, "video/h264-360p"))?.encoding).toBe(false);
  expect((await rendition(page, "video/h264-360p"))?.keyframes).toBeGreaterThanOrEqual(2);

  const hd = await lab(page, (l) => l.sampleVideo("camera", "video/h264-720p", 5));
  expect(hd.decoded.error).toBeUndefined();
  expect(hd.decoded.pictures.map((p) => [p.width, p.height])).toEqual(Array(5).fill([1280, 720]));

  // 100 Opus packets: 2 s of audio, PACKETS_PER_GROUP to a group, 20 ms apart, decodable, with the fake beep in it.
  const audio = await lab(page, (l) => l.sampleAudio("camera", 100));
  expect(audio.frames.every((f) => f.index < PACKETS_PER_GROUP)).toBe(true);
  expect(audio.frames.filter((f) => f.index === PACKETS_PER_GROUP - 1).length).toBeGreaterThanOrEqual(100 / PACKETS_PER_GROUP - 2);
  const steps = audio.frames.slice(1).map((f, i) => f.timestampUs - audio.frames[i]!.timestampUs);
  expect(steps.every((s) => s > 0)).toBe(true);
  expect(steps.sort((a, b) => a - b)[50]).toBe(20_000);
  for (const f of audio.frames) expect(f.receivedUs - f.timestampUs).toBeLessThan(500_000);
  expect(audio.decoded).toMatchObject({ decoded: 100 });
  expect(audio.decoded.error).toBeUndefined();
  expect(audio.decoded.peakRms).toBeGreaterThan(0.01);

  await expect.poll(() => lab(page, (l) => l.level())).toBeGreaterThan(0.1);
  expect(await lab(page, (l) => l.reports())).toEqual([]);
});

test("audio timestamps stay on capture time after the page stalls and capture drops audio", async ({ page }) => {
  await openLab(page, { camera: false, microphone: true });
  await expect.poll(async () => (await catalog(page, "camera"))?.audio?.renditions["audio/opus"]?.codec).toBe("opus");
  // A subscriber keeps the encoder running through the stall.
  const sub = await lab(page, (l) => l.subscribe("camera", "audio/opus"));
  await expect.poll(() => lab(page, (l, id) => l.subscriptionFrames(id), sub)).toBeGreaterThan(10);
  await lab(page, (l) => l.stall(1500));
  const audio = await lab(page, (l) => l.sampleAudio("camera", 50));
  const delays = audio.frames.slice(10).map((f) => f.receivedUs - f.timestampUs);
  // Chromium's encoder stamps output as if no audio had been dropped; unmapped, these run ~1 s late.
  expect(Math.max(...delays), "capture-to-receipt delay after the stall").toBeLessThan(300_000);
  expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
});

test("mute and camera off take renditions out of the catalog and end their tracks; turning on restores them", async ({ page }) => {
  await openLab(page, { camera: true, microphone: true });
  await expect.poll(async () => (await catalog(page, "camera"))?.audio?.renditions["audio/opus"]?.codec).toBe("opus");

  const audioSub = await lab(page, (l) => l.subscribe("camera", "audio/opus"));
  await expect.poll(async () => (await rendition(page, "audio/opus"))?.frames).toBeGreaterThan(0);
  await lab(page, (l) => l.setMicrophone(false));
  expect(await lab(page, (l, id) => l.subscriptionEnd(id), audioSub)).toBeGreaterThan(0);
  await expect.poll(async () => (await catalog(page, "camera"))?.audio ?? null).toBeNull();
  expect((await catalog(page, "camera"))?.video?.renditions["video/h264-360p"]).toBeDefined();
  expect((await lab(page, (l) => l.state())).microphone.on).toBe(false);
  expect(await lab(page, (l) => l.level())).toBe(0);
  expect(await rendition(page, "audio/opus")).toBeUndefined();

  await lab(page, (l) => l.setMicrophone(true));
  await expect.poll(async () => (await catalog(page, "camera"))?.audio?.renditions["audio/opus"]?.codec).toBe("opus");
  const again = await lab(page, (l) => l.sampleAudio("camera", 10));
  expect(again.decoded).toMatchObject({ decoded: 10 });

  const videoSub = await lab(page, (l) => l.subscribe("camera", "video/h264-360p"));
  await lab(page, (l) => l.setCamera(false));
  await lab(page, (l, id) => l.subscriptionEnd(id), videoSub);
  await expect.poll(async () => (await catalog(page, "camera"))?.video ?? null).toBeNull();
  expect(await lab(page, (l) => l.hasPreview())).toBe(false);
  expect((await lab(page, (l) => l.state())).camera.on).toBe(false);

  await lab(page, (l) => l.setCamera(true));
  await expect.poll(async () => Object.keys((await catalog(page, "camera"))?.video?.renditions ?? {}).length).toBe(2);
  expect(await lab(page, (l) => l.hasPreview())).toBe(true);
  const video = await lab(page, (l) => l.sampleVideo("camera", "video/h264-360p", 5));
  expect(video.decoded.pictures).toHaveLength(5);
});

test("switching microphones keeps audio/opus; an unknown device falls back to the default and is reported", async ({ page }) => {
  await openLab(page, { camera: false, microphone: true });
  const inputs = (await lab(page, (l) => l.audioInputs())).filter((d) => d.id !== "default" && d.id !== "communications");
  expect(inputs.length).toBeGreaterThanOrEqual(2);
  const before = (await lab(page, (l) => l.state())).microphone.deviceId;
  const other = inputs.find((d) => d.id !== before)!;

  await lab(page, (l, id) => l.selectMicrophone(id), other.id);
  const state = await lab(page, (l) => l.state());
  expect(state.microphone).toMatchObject({ on: true, deviceId: other.id, label: other.label });
  const audio = await lab(page, (l) => l.sampleAudio("camera", 10));
  expect(audio.decoded).toMatchObject({ decoded: 10 });

  await lab(page, (l) => l.selectMicrophone("no-such-device"));
  expect(await lab(page, (l) => l.reports())).toEqual([expect.objectContaining({ type: "device-fallback", device: "microphone", wanted: "no-such-device" })]);
  expect((await lab(page, (l) => l.state())).microphone.on).toBe(true);
  expect((await lab(page, (l) => l.sampleAudio("camera", 5))).decoded).toMatchObject({ decoded: 5 });
});

test("a camera that stops capturing (unplugged) is replaced by the default camera", async ({ page }) => {
  await openLab(page, { camera: true, microphone: false });
  await expect.poll(() => lab(page, (l) => l.hasPreview())).toBe(true);
  await lab(page, (l) => l.unplugCamera());
  await expect.poll(async () => (await lab(page, (l) => l.reports())).map((r) => r.type)).toEqual(["device-fallback"]);
  expect(await lab(page, (l) => l.hasPreview())).toBe(true);
  expect((await lab(page, (l) => l.state())).camera.on).toBe(true);
  const video = await lab(page, (l) => l.sampleVideo("camera", "video/h264-360p", 5));
  expect(video.decoded.pictures).toHaveLength(5);
});

test("screen: each share is a fresh producer; stopping or ending from the browser closes it", async ({ page }) => {
  await openLab(page, { camera: false, microphone: false });
  await lab(page, (l) => l.shareScreen());
  expect(await lab(page, (l) => l.producerCount("screen"))).toBe(1);
  // The fake display's size depends on the window; whatever it is (≤ 1920 wide), the rendition keeps it.
  const { width, height } = await lab(page, (l) => l.screenSize());
  expect(width).toBeLessThanOrEqual(1920);
  await expect.poll(async () => (await catalog(page, "screen"))?.video?.renditions["video/h264-screen"]).toMatchObject({ codedWidth: width, codedHeight: height });
  const first = await lab(page, (l) => l.sampleVideo("screen", "video/h264-screen", 10));
  expect(first.decoded.error).toBeUndefined();
  expect(first.decoded.pictures.map((p) => [p.width, p.height])).toEqual(Array(10).fill([width, height]));
  for (const p of first.decoded.pictures) expect(p.std, "the screen pattern, not a flat picture").toBeGreaterThan(5);
  expect((await lab(page, (l) => l.state())).screen).toEqual({ on: true, audio: false });

  await lab(page, (l) => l.stopScreen());
  expect(await lab(page, (l) => l.producerClosed("screen", 0))).toBe(true);
  expect((await lab(page, (l) => l.state())).screen.on).toBe(false);

  await lab(page, (l) => l.shareScreen());
  expect(await lab(page, (l) => l.producerCount("screen"))).toBe(2);
  expect(await lab(page, (l) => l.producerClosed("screen", 1))).toBe(false);
  await expect.poll(async () => (await catalog(page, "screen"))?.video?.renditions["video/h264-screen"]?.codedWidth).toBe(width);
  expect((await lab(page, (l) => l.sampleVideo("screen", "video/h264-screen", 5))).decoded.pictures).toHaveLength(5);

  await lab(page, (l) => l.endScreenFromBrowser());
  await expect.poll(() => lab(page, (l) => l.producerClosed("screen", 1))).toBe(true);
  expect((await lab(page, (l) => l.state())).screen.on).toBe(false);
  // The camera broadcast is untouched by screen sharing.
  expect(await lab(page, (l) => l.producerClosed("camera", 0))).toBe(false);
});

test("screen: a shared window that is resized is re-planned at its new size; its audio is published too", async ({ page }) => {
  await openLab(page, { camera: false, microphone: false });
  await lab(page, (l) => l.shareCanvas(640, 480, true));
  await expect.poll(async () => (await catalog(page, "screen"))?.video?.renditions["video/h264-screen"]).toMatchObject({ codedWidth: 640, codedHeight: 480 });
  expect((await catalog(page, "screen"))?.audio?.renditions["audio/opus"]).toMatchObject({ codec: "opus" });
  expect((await lab(page, (l) => l.state())).screen).toEqual({ on: true, audio: true });
  expect((await lab(page, (l) => l.sampleAudio("screen", 10))).decoded).toMatchObject({ decoded: 10 });

  await lab(page, (l) => l.resizeCanvas(960, 540));
  await expect.poll(async () => (await catalog(page, "screen"))?.video?.renditions["video/h264-screen"]).toMatchObject({ codedWidth: 960, codedHeight: 540 });
  const resized = await lab(page, (l) => l.sampleVideo("screen", "video/h264-screen", 5));
  expect(resized.decoded.error).toBeUndefined();
  expect(resized.decoded.pictures.map((p) => [p.width, p.height])).toEqual(Array(5).fill([960, 540]));
});

test("switching cameras keeps the renditions and their subscribers, with a keyframe from the new camera", async () => {
  // A browser of its own: two fake cameras need a launch switch (test.use would force a new worker).
  const args = [...CHROMIUM_ARGS.filter((a) => !a.startsWith("--use-fake-device-for-media-stream")), "--use-fake-device-for-media-stream=device-count=2"];
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args });
  try {
    const page = await browser.newPage();
    await openLab(page, { camera: true, microphone: false });
    const cameras = await lab(page, (l) => l.videoInputs());
    expect(cameras).toHaveLength(2);
    const before = (await lab(page, (l) => l.state())).camera.deviceId;
    const other = cameras.find((c) => c.id !== before)!;
    await expect.poll(async () => (await catalog(page, "camera"))?.video?.renditions["video/h264-360p"]?.codec).toBe("avc3.42e01e");
    const versions = await lab(page, (l) => l.catalogVersions("camera"));

    const sub = await lab(page, (l) => l.subscribe("camera", "video/h264-360p"));
    await expect.poll(() => lab(page, (l, id) => l.subscriptionFrames(id), sub)).toBeGreaterThan(5);
    const keyframes = (await rendition(page, "video/h264-360p"))!.keyframes;
    await lab(page, (l, id) => l.selectCamera(id), other.id);
    expect((await lab(page, (l) => l.state())).camera).toMatchObject({ on: true, deviceId: other.id, label: other.label });
    const frames = (await lab(page, (l, id) => l.subscriptionFrames(id), sub))!;
    await expect.poll(() => lab(page, (l, id) => l.subscriptionFrames(id), sub)).toBeGreaterThan(frames + 10);
    expect((await rendition(page, "video/h264-360p"))!.keyframes).toBeGreaterThan(keyframes);
    expect(await lab(page, (l) => l.catalogVersions("camera")), "same renditions: no catalog change").toBe(versions);
    expect(await lab(page, (l) => l.reports())).toEqual([]);
    // Chromium's second fake camera delivers frames of a format WebCodecs cannot name (Y16): they are
    // converted, and what arrives is the camera's picture.
    const video = await lab(page, (l) => l.sampleVideo("camera", "video/h264-360p", 5));
    expect(video.decoded.error).toBeUndefined();
    for (const p of video.decoded.pictures) expect(p.std, "the camera pattern, not a flat picture").toBeGreaterThan(5);
  } finally {
    await browser.close();
  }
});
