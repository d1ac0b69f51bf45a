/** The app-media suite's report: rows for bench/report.ts, and the app ÷ WebRTC ratios appended to it. */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { summarize, type Summary } from "../shared/stats.ts";
import { EMPTY, FPS, inNetns, measureAppMedia, type Measured } from "./app-media.ts";
import { writeReport, type BenchRow } from "./report.ts";

const METHOD = [
  `Each peer is its own headless Chromium (/usr/bin/chromium, fake camera at ${FPS} fps, asked for 1280×720 like the app asks) and, for the app, its own \`rooms serve\` core on 127.0.0.1; the WebRTC baseline is the same number of Chromiums with bench/webrtc-baseline.html, one RTCPeerConnection per pair (H.264 preferred, like the app; SDP relayed by the harness), the same getUserMedia constraints. The harness starts each Chromium itself (Playwright's performance switches, headless, muted) and drives it through its DevTools port, but lets go of every browser for the measuring window: an attached Playwright mirrors each WebSocket message of the app's media link into DevTools, which cost each app peer ~5 % of a core in its browser process and is not part of any user's call. The suite runs in its own network namespace with a veth pair, since WebRTC gathers no candidates on loopback alone; the app's traffic stays on 127.0.0.1.`,
  "Video glass-to-glass (same probe, bench/app-media-probe.js, in both): the sender's camera is opened at 640×360 (for both paths, whatever the page asks) and its frames pass through MediaStreamTrackProcessor → MediaStreamTrackGenerator, which writes 32 bits of Date.now() (+ an 8-bit check) as a 40-block barcode into the luma plane across the top of each frame (a copy of the I420 pixels, no canvas: scaling and copying 720p frames through a canvas cost each sending page a third of a core and saturated the two cores, so the latency figures measured the probe more than the media path). At the receiver the barcode is read from the pixels of each painted frame — in requestVideoFrameCallback on the receiving <video> in both (the app's tiles are video elements fed decoded frames through a track generator), from a two-row strip copied out of the frame with VideoFrame.copyTo — and delay = paint time (the callback's start) − stamp, one sample per distinct painted frame. Excludes capture → page (a few ms) and compositing/scan-out. Reading the strip costs the receiving page's main thread ~0.2 ms a frame (the `probe` rows); the earlier read, drawing the <video> into a 2D canvas, converted the whole frame first: 3.7 ms a frame on the WebRTC page and 6.7 ms on the app's (24 ms at p99), counted in the delay and, for the app, taken from the thread that also sends its media.",
  "Audio glass-to-glass (same probe in both): the microphone is replaced by a generated track (MediaStreamTrackGenerator, 10 ms chunks of silence, a 10 ms 1 kHz tone twice a second; the send time is the wall time the tone's chunk is written). At the receiver every node connected to an AudioContext's destination is also tapped by an AnalyserNode polled every 20 ms; a tone onset is placed on the output clock (AudioContext.getOutputTimestamp) and paired with the latest tone the other peer sent before it. Resolution ≈ ±10 ms (render quantum, poll). The latency configurations run in BENCH_LATENCY_ROUNDS (default 2) alternating rounds, app then WebRTC, pooled.",
  "`app timestamps` is the app's own measure (capture timestamp in the container vs wall clock when the frame is handed to the tile), what the tile's data-delay-ms reports; it should track the pixel-stamp figure plus/minus the probe's extra processor → generator hop.",
  "The probe costs CPU of its own (the `stamped` CPU rows), so the app's own timestamps from the run without the probe (`without the probe` row) are given beside the pixel figures. Hops 1–3 are the age of each video frame (since capture, by the app's timestamps) as it enters the sender's core from its UI, the receiver's core from the peer, and the receiver's decoder: where delay builds up (the core's side is traced with ROOMS_MEDIA_TRACE, main/media/hop-trace.ts, in the latency runs only: tracing costs the core CPU).",
  "CPU: user+system time of each peer's whole Chromium process tree (browser, renderer, GPU/utility, audio) plus, for the app, its `rooms serve` process, from /proc/<pid>/stat over the window; % of one core; n = peers × rounds. The CPU configurations run in BENCH_CPU_ROUNDS (default 2) alternating rounds, app then WebRTC: this is a shared VM, and one configuration measured 53–66 % per peer from one run to the next as the host's load changed. The CPU rows come from runs without the probe (plain fake camera and microphone); `stamped` rows are the latency runs, with the probe's work included. Everything shares 2 cores, so 3 peers contend.",
];

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** Run the suite (in its own network namespace) and write bench/results/app-media.{json,md}. */
export async function appMediaSuite(seconds: number): Promise<void> {
  if (process.env.BENCH_IN_NETNS !== "1") {
    const code = inNetns([process.execPath, join(import.meta.dirname, "run.ts"), "app-media"]);
    if (code !== 0) throw new Error(`app-media exited with ${code}`);
    return;
  }
  const loadBefore = loadavg();
  const m = await measureAppMedia(seconds, (s) => process.stderr.write(`[app-media] ${s}\n`));
  const loadAfter = loadavg();
  const get = (k: string): Measured => m[k] ?? { ...EMPTY, error: "not run (BENCH_APP_MEDIA_ONLY)" };
  const rows: BenchRow[] = [
    { name: "video glass-to-glass, app, 2 peers", unit: "ms", summary: summarize(get("app-2-stamped").video), targets: [{ stat: "p50", max: 80 }, { stat: "p99", max: 150 }] },
    { name: "video glass-to-glass, WebRTC baseline, 2 peers", unit: "ms", summary: summarize(get("webrtc-2-stamped").video) },
    { name: "audio glass-to-glass, app, 2 peers", unit: "ms", summary: summarize(get("app-2-stamped").audio) },
    { name: "audio glass-to-glass, WebRTC baseline, 2 peers", unit: "ms", summary: summarize(get("webrtc-2-stamped").audio) },
    { name: "video capture → paint by the app's own timestamps (data-delay-ms), 2 peers", unit: "ms", summary: summarize(get("app-2-stamped").appVideo) },
    { name: "video capture → paint by the app's own timestamps, 2 peers, without the probe", unit: "ms", summary: summarize(get("app-2").appVideo), targets: [{ stat: "p50", max: 80 }, { stat: "p99", max: 150 }] },
    { name: "app: time in the sender's VideoEncoder (encode() → chunk out)", unit: "ms", summary: summarize(get("app-2-stamped").hops.encodeOut) },
    { name: "app hop 1: capture → into the sender's core (media link)", unit: "ms", summary: summarize(get("app-2-stamped").hops.uiIn) },
    { name: "app hop 2: capture → into the receiver's core (peer session)", unit: "ms", summary: summarize(get("app-2-stamped").hops.peerIn) },
    { name: "app hop 3: capture → into the receiver's VideoDecoder (media link)", unit: "ms", summary: summarize(get("app-2-stamped").decodeIn) },
    { name: "probe: reading a painted frame's stamp, app page (main thread)", unit: "ms", summary: summarize(get("app-2-stamped").probeReadMs) },
    { name: "probe: reading a painted frame's stamp, WebRTC page (main thread)", unit: "ms", summary: summarize(get("webrtc-2-stamped").probeReadMs) },
    { name: "CPU per peer, app, 2 peers", unit: "%core", summary: summarize(get("app-2").cpuPerPeer) },
    { name: "CPU per peer, WebRTC baseline, 2 peers", unit: "%core", summary: summarize(get("webrtc-2").cpuPerPeer) },
    { name: "CPU per peer, app, 3 peers", unit: "%core", summary: summarize(get("app-3").cpuPerPeer) },
    { name: "CPU per peer, WebRTC baseline, 3 peers (mesh)", unit: "%core", summary: summarize(get("webrtc-3").cpuPerPeer) },
    { name: "CPU per peer, app, 2 peers, stamped (latency run)", unit: "%core", summary: summarize(get("app-2-stamped").cpuPerPeer) },
    { name: "CPU per peer, WebRTC baseline, 2 peers, stamped (latency run)", unit: "%core", summary: summarize(get("webrtc-2-stamped").cpuPerPeer) },
  ];
  const notes = [
    ...METHOD,
    `Load average (1/5/15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}; after: ${loadAfter.map((l) => l.toFixed(2)).join(" / ")}. Window ${seconds} s per configuration after a 3 s warm-up.`,
    ...Object.entries(m).flatMap(([k, v]) => (v.error === undefined ? [] : [`${k} failed: ${v.error}`])),
    // A receiver that lost remote tiles during the window is not in steady state: its CPU is not comparable.
    ...Object.entries(m).flatMap(([k, v]) => {
      const want = Number(/-(\d+)/.exec(k)?.[1] ?? v.received.length) - 1; // each receiver sees the others
      const got = v.received.map((r) => (Array.isArray(r) ? r.length : 0));
      return k.startsWith("app-") && got.some((g) => g < want) ? [`${k}: at the end of the window the peers showed ${got.join(", ")} live remote camera tiles (of ${want} each): the call had fallen apart, so its CPU is not steady state.`] : [];
    }),
    ...Object.entries(m).map(([k, v]) => `${k}: CPU by process (% of a core, each peer): ${v.cpuByKind.map((c) => JSON.stringify(c)).join("; ")}.`),
    ...Object.entries(m).map(([k, v]) => `${k}: renderer CPU by thread (% of a core, each peer; \`chromium\` is the page's main thread): ${(v.rendererThreads ?? []).map((c) => JSON.stringify(c)).join("; ")}.`),
    `Tones sent/heard: app ${get("app-2-stamped").tones.sent}/${get("app-2-stamped").tones.heard}, WebRTC ${get("webrtc-2-stamped").tones.sent}/${get("webrtc-2-stamped").tones.heard}.`,
    `The app's VideoEncoder backlog (encodeQueueSize at each encode call, frames, latency run): ${JSON.stringify(summarize(get("app-2-stamped").encodeQueue))}.`,
    `Barcodes that failed their check (not counted): app ${get("app-2-stamped").stampErrors}, WebRTC ${get("webrtc-2-stamped").stampErrors}.`,
  ];
  // A partial run (BENCH_APP_MEDIA_ONLY) must not replace the full results: it gets files of its own.
  const suite = (process.env.BENCH_APP_MEDIA_ONLY ?? "") === "" ? "app-media" : "app-media-partial";
  writeReport(suite, rows, notes);
  const s = (k: string, f: (x: Measured) => number[]): Summary => summarize(f(get(k)));
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ratios: { name: string; app: number; webrtc: number }[] = [
    { name: "video p50", app: s("app-2-stamped", (x) => x.video).p50, webrtc: s("webrtc-2-stamped", (x) => x.video).p50 },
    { name: "video p99", app: s("app-2-stamped", (x) => x.video).p99, webrtc: s("webrtc-2-stamped", (x) => x.video).p99 },
    { name: "audio p50", app: s("app-2-stamped", (x) => x.audio).p50, webrtc: s("webrtc-2-stamped", (x) => x.audio).p50 },
    { name: "audio p99", app: s("app-2-stamped", (x) => x.audio).p99, webrtc: s("webrtc-2-stamped", (x) => x.audio).p99 },
    { name: "CPU per peer (mean), 2 peers", app: mean(get("app-2").cpuPerPeer), webrtc: mean(get("webrtc-2").cpuPerPeer) },
    { name: "CPU per peer (mean), 3 peers", app: mean(get("app-3").cpuPerPeer), webrtc: mean(get("webrtc-3").cpuPerPeer) },
  ].map((r) => ({ ...r, app: Math.round(r.app * 10) / 10, webrtc: Math.round(r.webrtc * 10) / 10 }));
  const received = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.received]));
  const md = [
    "## App ÷ WebRTC baseline (target ≤ 1.2×)",
    "",
    "| measurement | app | WebRTC | ratio | target |",
    "|---|---|---|---|---|",
    ...ratios.map((r) => `| ${r.name} | ${r.app} | ${r.webrtc} | ${ratio(r.app, r.webrtc)} | ${ratio(r.app, r.webrtc) <= 1.2 ? "✅" : "❌"} ≤ 1.2 |`),
    "",
    "## What the receivers got",
    "",
    "Each remote tile at the end of the window, as its data attributes show it; `audioUnderruns` and `audioConcealedMs` count from when the tile started playing (set-up and warm-up included).",
    "",
    "```json",
    JSON.stringify(received, null, 1),
    "```",
    "",
  ].join("\n");
  const dir = join(import.meta.dirname, "results");
  appendFileSync(join(dir, `${suite}.md`), "\n" + md);
  const json = JSON.parse(readFileSync(join(dir, `${suite}.json`), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, `${suite}.json`), JSON.stringify({ ...json, ratios, received, loadavg: { before: loadBefore, after: loadAfter } }, null, 2) + "\n");
  process.stdout.write(md);
}
