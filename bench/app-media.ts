/**
 * Media in the app (issue 5), measured end to end in browser mode and side by side with plain WebRTC:
 * each peer is its own Chromium (Debian's, headless) and, for the app, its own `rooms serve` core. Glass-to-
 * glass delay is read from the pixels and the sound (bench/app-media-probe.js), the same way on both paths;
 * CPU is whole process trees from /proc. WebRTC needs a non-loopback interface for ICE candidates, so the
 * suite runs inside its own network namespace with a veth pair (see {@link inNetns}).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium, type Browser, type Page } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config.ts";
import { summarize } from "../shared/stats.ts";
import { treeCpuDetail } from "./proc-cpu.ts";

const ROOT = join(import.meta.dirname, "..");
const PROBE = readFileSync(join(import.meta.dirname, "app-media-probe.js"), "utf8");
const BASELINE = readFileSync(join(import.meta.dirname, "webrtc-baseline.html"), "utf8");
/** Fake camera rate: two whole call pages saturate 2 cores at 30 fps 720p (test-environment.md). */
export const FPS = 15;
const ARGS = [
  ...CHROMIUM_ARGS.map((a) => (a === "--use-fake-device-for-media-stream" ? `${a}=fps=${FPS}` : a)),
  "--autoplay-policy=no-user-gesture-required",
  "--headless=new",
];
const VIEWPORT = { width: 1180, height: 760 };

/** One peer: its browser (a process tree of its own) and, for the app, its core. */
interface Peer {
  /** Playwright's connection, replaced when the harness lets go and attaches again (see {@link launch}). */
  browser: Browser;
  page: Page;
  proc: ChildProcess;
  profileDir: string;
  /** The browser's DevTools endpoint. */
  endpoint: string;
  pids: number[];
  core?: ChildProcess;
  dataDir?: string;
  /** The core's hop trace (main/media/hop-trace.ts). */
  trace?: string;
}

/** What one configuration measured. */
export interface Measured {
  /** Capture → paint per frame, from the pixel stamp, ms (all receivers). */
  video: number[];
  /** Capture → output device per tone, ms. */
  audio: number[];
  /** The app's own capture timestamps at paint (what its data-delay-ms shows), ms. */
  appVideo: number[];
  /** The app's capture timestamps as each video chunk enters the decoder, ms (encode + link + cores). */
  decodeIn: number[];
  /** The app's VideoEncoder backlog (encodeQueueSize) at each encode call, all encoders. */
  encodeQueue: number[];
  /** The probe's own cost: reading one painted frame's stamp on the receiving page's main thread (ms). */
  probeReadMs: number[];
  /** Where video delay builds up, ms: time in the sender's VideoEncoder; then each chunk's age (since
   *  capture) into the sender's core (from its UI), into the receiver's core (from the peer); the last hop,
   *  into the receiver's decoder, is `decodeIn`. */
  hops: { encodeOut: number[]; uiIn: number[]; peerIn: number[] };
  /** The same hops' medians at each peer (ms): what each core took in from its UI and from the others. */
  hopsByPeer: Record<string, number | null>[];
  cpuPerPeer: number[];
  /** Each peer's CPU by process kind (browser, renderer, gpu-process, utility:…, node = the app's core). */
  cpuByKind: Record<string, number>[];
  /** Each peer's renderer CPU by thread name (main thread, compositor, media, audio worklet, pools). */
  rendererThreads: Record<string, number>[];
  /** What the receivers got (codec, size, fps). */
  received: unknown[];
  stampErrors: number;
  /** Tones sent and onsets heard, all peers. */
  tones: { sent: number; heard: number };
  /** Why this configuration has no numbers (setup failed or timed out). */
  error?: string;
}

/** A configuration with no numbers. */
export const EMPTY: Measured = { video: [], audio: [], appVideo: [], decodeIn: [], encodeQueue: [], probeReadMs: [], hops: { encodeOut: [], uiIn: [], peerIn: [] }, hopsByPeer: [], cpuPerPeer: [], cpuByKind: [], rendererThreads: [], received: [], stampErrors: 0, tones: { sent: 0, heard: 0 } };

/**
 * Chromium as Playwright starts it (its switches that bear on performance), but started here with a
 * DevTools port instead of Playwright's pipe, so the harness can let go of the browser for the measuring
 * window: an attached Playwright keeps the Network domain on and copies every WebSocket message of the
 * app's media link into the DevTools stream (base64, renderer → browser → harness), work a user's
 * browser never does and the WebRTC page, with no WebSocket, never pays.
 */
const BROWSER_ARGS = [
  ...ARGS,
  "--disable-field-trial-config",
  "--disable-background-timer-throttling",
  "--disable-backgrounding-occluded-windows",
  "--disable-back-forward-cache",
  "--disable-breakpad",
  "--disable-component-extensions-with-background-pages",
  "--no-default-browser-check",
  "--disable-default-apps",
  "--disable-extensions",
  "--disable-hang-monitor",
  "--disable-ipc-flooding-protection",
  "--disable-popup-blocking",
  "--disable-prompt-on-repost",
  "--disable-renderer-backgrounding",
  "--force-color-profile=srgb",
  "--metrics-recording-only",
  "--password-store=basic",
  "--use-mock-keychain",
  "--no-service-autorun",
  "--hide-scrollbars",
  "--mute-audio",
  "--remote-debugging-port=0",
];

async function launch(stamp: boolean): Promise<Omit<Peer, "core" | "dataDir" | "trace">> {
  const profileDir = mkdtempSync(join(tmpdir(), "bench-chromium-"));
  const proc = spawn("/usr/bin/chromium", [...BROWSER_ARGS, `--user-data-dir=${profileDir}`, "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
  try {
    const endpoint = await devToolsEndpoint(proc);
    const peer = { proc, profileDir, endpoint, pids: [proc.pid!], ...(await attach(endpoint)) };
    await peer.page.context().addInitScript({ content: `${PROBE}\nbenchProbe(${JSON.stringify({ stamp })});` });
    await peer.page.setViewportSize(VIEWPORT);
    return peer;
  } catch (err) {
    await stopProcess(proc);
    rmSync(profileDir, { recursive: true, force: true, maxRetries: 5 });
    throw err;
  }
}

/** The `ws://` endpoint a Chromium started with `--remote-debugging-port` prints on stderr. */
function devToolsEndpoint(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    // The reader keeps draining stderr after the endpoint (a paused pipe would block the browser), keeping nothing.
    let err: string | undefined = "";
    const fail = (why: string): void => {
      if (err === undefined) return;
      reject(new Error(`${why}: ${err.slice(-2000)}`));
      err = undefined;
    };
    const timer = setTimeout(() => fail("chromium printed no DevTools endpoint in 30 s"), 30_000);
    proc.once("exit", () => fail("chromium exited early"));
    createInterface({ input: proc.stderr! }).on("line", (l) => {
      if (err === undefined) return;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(l);
      if (m === null) return void (err += `${l}\n`);
      clearTimeout(timer);
      err = undefined;
      resolve(m[1]!);
    });
  });
}

/** Connect Playwright to a browser of {@link launch} and find its one page. */
async function attach(endpoint: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.connectOverCDP(endpoint);
  const page = browser.contexts()[0]?.pages()[0];
  if (page === undefined) throw new Error("the browser has no page");
  return { browser, page };
}

/** A `rooms serve` core; `traced`: it records each frame's hops (main/media/hop-trace.ts), latency runs only, as it costs CPU. */
function startCore(label: string, traced: boolean): Promise<{ core: ChildProcess; url: string; dataDir: string; trace: string | undefined }> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-app-media-${label}-`));
  const trace = traced ? join(dataDir, "hops.jsonl") : undefined;
  // BENCH_CORE_PROFILE=<dir>: each core writes a V8 CPU profile there when it exits.
  const prof = process.env.BENCH_CORE_PROFILE === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CORE_PROFILE}`];
  const core = spawn(process.execPath, [...prof, join(ROOT, "main", "cli", "rooms.ts"), "serve", "--json", "--data-dir", dataDir, "--listen", "/ip4/127.0.0.1/tcp/0", "--log-level", "warn"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ROOMS_MEDIA_TRACE: trace ?? "" },
  });
  let stderr = "";
  core.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: core.stdout }).on("line", (l) => {
      try {
        const m = JSON.parse(l) as { type?: string; url?: string };
        if (m.type === "serving" && typeof m.url === "string") resolve({ core, url: m.url, dataDir, trace });
      } catch {
        // not JSON
      }
    });
    core.once("exit", () => reject(new Error(`rooms serve exited early: ${stderr}`)));
  });
}

async function stopPeers(peers: Peer[]): Promise<void> {
  for (const p of peers) {
    await p.browser.close().catch(() => undefined);
    await stopProcess(p.proc);
    rmSync(p.profileDir, { recursive: true, force: true, maxRetries: 5 }); // retried: the browser's children may still be writing as it exits
  }
  for (const p of peers) if (p.core !== undefined) await stopCore(p.core, p.dataDir);
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  const hard = setTimeout(() => proc.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(hard);
}

async function stopCore(core: ChildProcess, dataDir: string | undefined): Promise<void> {
  await stopProcess(core);
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}

/** `n` people in one app room, everyone seeing everyone's video. */
async function appRoom(peers: Peer[], n: number, stamp: boolean): Promise<void> {
  let ticket = "";
  for (let i = 0; i < n; i++) {
    const { core, url, dataDir, trace } = await startCore(`p${i}`, stamp);
    const peer: Peer = { core, dataDir, trace, ...(await launch(stamp).catch(async (err: unknown) => {
      await stopCore(core, dataDir);
      throw err;
    })) };
    peer.pids.push(core.pid!);
    peers.push(peer);
    const { page } = peer;
    await page.goto(url);
    await page.getByLabel("Your name").fill(`Peer${i}`);
    if (i === 0) {
      await page.getByRole("button", { name: "Create a room" }).click();
      await page.locator('[data-testid=connection-state][data-state="joined"]').waitFor();
      await page.getByRole("button", { name: "Copy ticket" }).click();
      ticket = await page.getByTestId("room-ticket").inputValue();
      await page.keyboard.press("Escape");
    } else {
      await page.getByLabel("Room ticket").fill(ticket);
      await page.getByRole("button", { name: "Join room" }).click();
      await page.locator('[data-testid=connection-state][data-state="joined"]').waitFor();
    }
  }
  // Everyone paints everyone else's camera.
  for (const p of peers) {
    await p.page.waitForFunction(
      (others) => Array.from(document.querySelectorAll<HTMLElement>('[data-testid=tile][data-live=true][data-broadcast="camera"]:not(.tile--self)')).filter((t) => Number(t.dataset.framesDecoded ?? 0) > 30).length >= others,
      n - 1,
      { timeout: 90_000, polling: 500 },
    );
  }
}

/** `n` plain WebRTC pages in a full mesh. */
async function webrtcMesh(peers: Peer[], n: number, stamp: boolean, url: string, codec: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const b = await launch(stamp);
    peers.push(b);
    await b.page.goto(url);
    await b.page.evaluate(() => (window as unknown as { rtc: { start(): Promise<void> } }).rtc.start());
  }
  type Rtc = { rtc: { offer(id: string, c: string): Promise<string>; answer(id: string, sdp: string, c: string): Promise<string>; accept(id: string, sdp: string): Promise<void> } };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const offer = await peers[i]!.page.evaluate(([id, c]) => (window as unknown as Rtc).rtc.offer(id, c), [String(j), codec] as const);
      const answer = await peers[j]!.page.evaluate(([id, sdp, c]) => (window as unknown as Rtc).rtc.answer(id, sdp, c), [String(i), offer, codec] as const);
      await peers[i]!.page.evaluate(([id, sdp]) => (window as unknown as Rtc).rtc.accept(id, sdp), [String(j), answer] as const);
    }
  }
  for (const p of peers) {
    await p.page.waitForFunction((others) => Array.from(document.querySelectorAll("video")).filter((v) => (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 0) > 30).length >= others, n - 1, { timeout: 90_000, polling: 500 });
  }
}

interface Probe {
  video: number[];
  appDelay: number[];
  decodeIn: number[];
  encodeOut: number[];
  encodeQueue: number[];
  readMs: number[];
  clicks: number[];
  onsets: number[];
  stampErrors: number;
}
type Win = { __bench: Probe };

/** Clear the probes, wait `ms` while sampling CPU, collect. */
async function measure(peers: Peer[], ms: number, received: (p: Page) => Promise<unknown>): Promise<Measured> {
  const clear = (): Promise<unknown> =>
    Promise.all(
      peers.map((p) =>
        p.page.evaluate(() => {
          const b = (window as unknown as Win).__bench;
          b.video.length = b.appDelay.length = b.decodeIn.length = b.encodeOut.length = b.encodeQueue.length = b.readMs.length = b.onsets.length = 0;
          b.stampErrors = 0;
        }),
      ),
    );
  await clear();
  const profile = process.env.BENCH_PROFILE === "1" ? await startProfile(peers[0]!.page) : undefined;
  const trace = process.env.BENCH_TRACE === "1" ? await startTrace(peers[0]!.page) : undefined;
  // No automation attached while measuring (see launch), unless a profile or trace needs the connection.
  const detach = profile === undefined && trace === undefined;
  if (detach) await Promise.all(peers.map((p) => p.browser.close()));
  const from = Date.now();
  const cpu = await treeCpuDetail(
    peers.map((p) => p.pids),
    ms,
  );
  if (detach) for (const p of peers) Object.assign(p, await attach(p.endpoint));
  const cpuPerPeer = cpu.map((c) => c.total);
  const to = Date.now();
  if (profile !== undefined) process.stderr.write(`[app-media] peer 0 renderer main thread, self time by function:\n${await profile()}\n`);
  if (trace !== undefined) process.stderr.write(`[app-media] peer 0 renderer main thread, task time by where it was posted from:\n${await trace()}\n`);
  await new Promise((r) => setTimeout(r, 1500)); // the cores append their traces once a second
  const tracedBy = peers.map((p) => readTrace(p.trace).filter((t) => t.at >= from && t.at <= to && t.track.startsWith("video")));
  const traced = tracedBy.flat();
  const probes = await Promise.all(peers.map((p) => p.page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as Win).__bench)) as Probe)));
  // Pair each tone a peer heard with the latest tone sent before it by the other peers (tones are 500 ms
  // apart, delays well under that). Not by any peer: the listener's own tones, at another phase, would
  // pair with its onsets too, and did (a 4.5 ms "delay" in one run).
  const audio = probes.flatMap((probe, i) => {
    const clicks = probes.flatMap((p, j) => (j === i ? [] : p.clicks)).sort((a, b) => a - b);
    return probe.onsets
      .map((t) => {
        const sent = clicks.filter((c) => c <= t).at(-1);
        return sent === undefined ? Number.NaN : t - sent;
      })
      .filter((d) => d >= 0 && d < 500);
  });
  return {
    video: probes.flatMap((p) => p.video),
    audio,
    appVideo: probes.flatMap((p) => p.appDelay),
    decodeIn: probes.flatMap((p) => p.decodeIn),
    encodeQueue: probes.flatMap((p) => p.encodeQueue),
    probeReadMs: probes.flatMap((p) => p.readMs ?? []),
    hops: {
      encodeOut: probes.flatMap((p) => p.encodeOut),
      uiIn: traced.filter((t) => t.hop === "ui-in").map((t) => t.ageMs),
      peerIn: traced.filter((t) => t.hop === "peer-in").map((t) => t.ageMs),
    },
    hopsByPeer: probes.map((p, i) => ({
      encodeOut: summarize(p.encodeOut).p50,
      uiIn: summarize(tracedBy[i]!.filter((t) => t.hop === "ui-in").map((t) => t.ageMs)).p50,
      peerIn: summarize(tracedBy[i]!.filter((t) => t.hop === "peer-in").map((t) => t.ageMs)).p50,
      decodeIn: summarize(p.decodeIn).p50,
    })),
    cpuPerPeer,
    cpuByKind: cpu.map((c) => c.byKind),
    rendererThreads: cpu.map((c) => c.rendererThreads),
    received: await Promise.all(peers.map((p) => received(p.page))),
    stampErrors: probes.reduce((s, p) => s + p.stampErrors, 0),
    tones: { sent: probes.reduce((s, p) => s + p.clicks.length, 0), heard: probes.reduce((s, p) => s + p.onsets.length, 0) },
  };
}

/** BENCH_PROFILE=1: a V8 CPU profile of `page`'s main thread over the window (also written to $TMPDIR/bench-page.cpuprofile); resolves to the top functions. */
async function startProfile(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 500 });
  await cdp.send("Profiler.start");
  return async () => {
    const { profile } = await cdp.send("Profiler.stop");
    // The whole profile too, for a caller-tree look (chrome://inspect or a script).
    writeFileSync(join(tmpdir(), "bench-page.cpuprofile"), JSON.stringify(profile));
    const self = new Map<string, number>();
    let total = 0;
    for (const n of profile.nodes) {
      const hits = n.hitCount ?? 0;
      total += hits;
      const f = n.callFrame;
      const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop() ?? ""}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + hits);
    }
    return [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 40)
      .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  };
}

/**
 * BENCH_TRACE=1: a Chromium trace of `page`'s renderer over the window; resolves to its main thread's task
 * time grouped by where each task was posted from (native work the V8 profile shows only as "(program)").
 */
async function startTrace(page: Page): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  const events: { name: string; ph: string; ts?: number; dur?: number; tid: number; pid: number; args?: { src_func?: string; src_file?: string; data?: unknown } }[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as typeof events)));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["toplevel", "toplevel.flow", "disabled-by-default-devtools.timeline", "devtools.timeline", "v8", "blink"], recordMode: "recordContinuously" }, transferMode: "ReportEvents" });
  return async () => {
    const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
    await cdp.send("Tracing.end");
    await done;
    const main = events.find((e) => e.name === "thread_name" && (e.args as { name?: string } | undefined)?.name === "CrRendererMain");
    const tasks = events.filter((e) => main !== undefined && e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.name === "ThreadControllerImpl::RunTask");
    const by = new Map<string, number>();
    let total = 0;
    for (const t of tasks) {
      const key = `${t.args?.src_func ?? "?"} (${(t.args?.src_file ?? "").split("/").slice(-2).join("/")})`;
      by.set(key, (by.get(key) ?? 0) + (t.dur ?? 0));
      total += t.dur ?? 0;
    }
    // Tasks over 16 ms (what holds a frame back), each with its longest events inside (GC, a function call, …).
    const long = tasks
      .filter((t) => (t.dur ?? 0) > 16_000)
      .map((t) => {
        const inside = events
          .filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === "X" && e !== t && (e.ts ?? 0) >= (t.ts ?? 0) && (e.ts ?? 0) < (t.ts ?? 0) + (t.dur ?? 0) && (e.dur ?? 0) > 2_000)
          .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
          .slice(0, 4)
          .map((e) => {
            const d = e.args?.data as { functionName?: string; url?: string; lineNumber?: number; type?: string } | undefined;
            const what = d?.functionName !== undefined ? ` ${d.functionName}@${(d.url ?? "").split("/").at(-1)}:${d.lineNumber}` : d?.type !== undefined ? ` ${d.type}` : "";
            return `${e.name}${what} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
          });
        return `${((t.dur ?? 0) / 1000).toFixed(1).padStart(6)} ms  ${t.args?.src_func ?? "?"}: ${inside.join("; ")}`;
      });
    // Task time by poster and the script function the task ran first (which timer, which message handler).
    const calls = events.filter((e) => main !== undefined && e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.name === "FunctionCall");
    const byFn = new Map<string, { ms: number; n: number }>();
    for (const t of tasks) {
      const end = (t.ts ?? 0) + (t.dur ?? 0);
      const first = calls.find((c) => (c.ts ?? 0) >= (t.ts ?? 0) && (c.ts ?? 0) < end);
      const d = first?.args?.data as { functionName?: string; url?: string; lineNumber?: number } | undefined;
      const key = `${t.args?.src_func ?? "?"} → ${d === undefined ? "(no script)" : `${d.functionName ?? "?"}@${(d.url ?? "").split("/").at(-1)}:${d.lineNumber}`}`;
      const v = byFn.get(key) ?? { ms: 0, n: 0 };
      v.ms += (t.dur ?? 0) / 1000;
      v.n++;
      byFn.set(key, v);
    }
    return [
      `${(total / 1000).toFixed(0)} ms of tasks in ${tasks.length}`,
      ...[...byFn].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30).map(([k, v]) => `${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(6)} tasks  ${k}`),
      "by poster:",
      ...[...by].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`),
      `tasks over 16 ms: ${long.length}`,
      ...long.slice(0, 30),
    ].join("\n");
  };
}

/** A core's hop trace lines (none for WebRTC peers, or before the first flush). */
function readTrace(file: string | undefined): { hop: string; track: string; at: number; ageMs: number }[] {
  if (file === undefined || !existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { hop: string; track: string; at: number; ageMs: number });
}

const appReceived = (page: Page): Promise<unknown> =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('[data-testid=tile][data-live=true][data-broadcast="camera"]:not(.tile--self)')).map((t) => {
      const p = t.querySelector("[data-testid=tile-picture]");
      const size = p instanceof HTMLVideoElement ? [p.videoWidth, p.videoHeight] : p instanceof HTMLCanvasElement ? [p.width, p.height] : [];
      return { width: size[0], height: size[1], fps: Number(t.dataset.paintedFps), delayMs: Number(t.dataset.delayMs), audioBufferMs: Number(t.dataset.audioBufferMs), audioTargetMs: Number(t.dataset.audioTargetMs), audioDelayMs: Number(t.dataset.audioDelayMs), audioUnderruns: Number(t.dataset.audioUnderruns), audioConcealedMs: Number(t.dataset.audioConcealedMs) };
    }),
  );
const rtcReceived = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { rtc: { stats(): Promise<unknown> } }).rtc.stats());

function serveBaseline(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(BASELINE));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === "object" && addr !== null ? addr.port : 0}/` });
    }),
  );
}

/** The app's chosen video codec family, read from a publishing page's catalog is not exposed: use H.264 as the app prefers it. */
const BASELINE_CODEC = "h264";

/** Rounds of the CPU configurations (BENCH_CPU_ROUNDS, default 2). */
const CPU_ROUNDS = Math.max(1, Number(process.env.BENCH_CPU_ROUNDS ?? 2));
/** Rounds of the latency configurations (BENCH_LATENCY_ROUNDS, default 2). */
const LATENCY_ROUNDS = Math.max(1, Number(process.env.BENCH_LATENCY_ROUNDS ?? 2));

/** Two measurements of one configuration as one: every sample of both. */
function merge(a: Measured, b: Measured): Measured {
  const cat = <T>(x: T[], y: T[]): T[] => [...x, ...y];
  return {
    ...b,
    video: cat(a.video, b.video),
    audio: cat(a.audio, b.audio),
    appVideo: cat(a.appVideo, b.appVideo),
    decodeIn: cat(a.decodeIn, b.decodeIn),
    encodeQueue: cat(a.encodeQueue, b.encodeQueue),
    probeReadMs: cat(a.probeReadMs, b.probeReadMs),
    hops: { encodeOut: cat(a.hops.encodeOut, b.hops.encodeOut), uiIn: cat(a.hops.uiIn, b.hops.uiIn), peerIn: cat(a.hops.peerIn, b.hops.peerIn) },
    hopsByPeer: cat(a.hopsByPeer, b.hopsByPeer),
    cpuPerPeer: cat(a.cpuPerPeer, b.cpuPerPeer),
    cpuByKind: cat(a.cpuByKind, b.cpuByKind),
    rendererThreads: cat(a.rendererThreads, b.rendererThreads),
    received: cat(a.received, b.received),
    stampErrors: a.stampErrors + b.stampErrors,
    tones: { sent: a.tones.sent + b.tones.sent, heard: a.tones.heard + b.tones.heard },
  };
}

/** Every configuration of the suite; `seconds` is each measuring window. */
export async function measureAppMedia(seconds: number, log: (m: string) => void): Promise<Record<string, Measured>> {
  if (!existsSync(join(ROOT, "out", "renderer", "index.html"))) throw new Error("no built UI: run `npm run build` first");
  const { server, url } = await serveBaseline();
  const out: Record<string, Measured> = {};
  // BENCH_APP_MEDIA_ONLY=app-2-stamped,… runs only those configurations (for quick iterations).
  const only = process.env.BENCH_APP_MEDIA_ONLY?.split(",").filter((k) => k !== "");
  const run = async (key: string, setup: (peers: Peer[]) => Promise<void>, received: (p: Page) => Promise<unknown>): Promise<void> => {
    if (only !== undefined && only.length > 0 && !only.includes(key)) return;
    log(`${key}: setting up`);
    const peers: Peer[] = [];
    try {
      await setup(peers);
      await new Promise((r) => setTimeout(r, 3_000)); // warm-up: encoders' rate control, jitter buffers
      const m = await measure(peers, seconds * 1000, received);
      out[key] = out[key] === undefined || out[key].error !== undefined ? m : merge(out[key], m);
      log(`${key}: ${JSON.stringify({ ...m, video: summarize(m.video), audio: summarize(m.audio), appVideo: summarize(m.appVideo), decodeIn: summarize(m.decodeIn), encodeQueue: summarize(m.encodeQueue), probeReadMs: summarize(m.probeReadMs), hops: Object.fromEntries(Object.entries(m.hops).map(([k, v]) => [k, summarize(v)])) })}`);
    } catch (err) {
      const error = err instanceof Error ? err.message.split("\n")[0]! : String(err);
      log(`${key}: failed: ${error}`);
      out[key] = { ...EMPTY, error };
    } finally {
      await stopPeers(peers);
    }
  };
  try {
    // Latency: stamped media. Alternating app and WebRTC runs so a change in machine load hits both.
    // In LATENCY_ROUNDS rounds, for samples enough that a p99 is more than the slowest few.
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      await run("app-2-stamped", (p) => appRoom(p, 2, true), appReceived);
      await run("webrtc-2-stamped", (p) => webrtcMesh(p, 2, true, url, BASELINE_CODEC), rtcReceived);
    }
    // CPU: the plain fake camera and microphone, no probe work in the pages. In CPU_ROUNDS alternating rounds:
    // this is a shared VM, and the same configuration measured 53–66 % per peer from one run to the next
    // as the host's load changed; alternating lets both sides see the same swings.
    for (let round = 0; round < CPU_ROUNDS; round++) {
      await run("app-2", (p) => appRoom(p, 2, false), appReceived);
      await run("webrtc-2", (p) => webrtcMesh(p, 2, false, url, BASELINE_CODEC), rtcReceived);
      await run("app-3", (p) => appRoom(p, 3, false), appReceived);
      await run("webrtc-3", (p) => webrtcMesh(p, 3, false, url, BASELINE_CODEC), rtcReceived);
    }
  } finally {
    server.close();
  }
  return out;
}

/**
 * WebRTC gathers no ICE candidates on loopback alone (test-environment.md): run `argv` in a new network
 * namespace with loopback up and a veth pair (10.123.0.1/2) with a default route, and return its exit code.
 */
export function inNetns(argv: string[]): number {
  const setup = [
    "ip link set lo up",
    "ip link add v0 type veth peer name v1",
    "ip addr add 10.123.0.1/24 dev v0",
    "ip addr add 10.123.0.2/24 dev v1",
    "ip link set v0 up",
    "ip link set v1 up",
    "ip route add default via 10.123.0.2 dev v0",
  ].join(" && ");
  const r = spawnSync("unshare", ["-n", "sh", "-c", `${setup} && exec "$@"`, "sh", ...argv], { stdio: "inherit", env: { ...process.env, BENCH_IN_NETNS: "1" } });
  return r.status ?? 1;
}
