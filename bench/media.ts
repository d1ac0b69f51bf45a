/**
 * Media-plane benchmarks (issue 3), each peer a real process (bench/media-peer.ts) on loopback:
 * frame delay for 720p-sized video at 30 fps (~2 Mbit/s) and for 20 ms audio frames, chat delay,
 * CPU per peer in 2/4/6-peer meshes, and a publisher's CPU as subscribers are added (fan-out cost).
 */
import { join } from "node:path";
import { summarize } from "../shared/stats.ts";
import { JsonProc, type Line } from "./proc.ts";
import type { BenchRow } from "./report.ts";

const PEER = join(import.meta.dirname, "media-peer.ts");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function mesh(n: number, publishers: number, flags: string[]): Promise<{ procs: JsonProc[]; ids: string[] }> {
  const first = new JsonProc([PEER, "create", ...(publishers > 0 ? flags : [])]);
  const ready = await first.waitFor((l) => l.type === "ready");
  const rest = Array.from({ length: n - 1 }, (_, i) => new JsonProc([PEER, ready.ticket as string, ...(i + 1 < publishers ? flags : [])]));
  const readies = await Promise.all(rest.map((p) => p.waitFor((l) => l.type === "ready")));
  const procs = [first, ...rest];
  const ids = [ready.peerId as string, ...readies.map((r) => r.peerId as string)];
  // Everyone subscribed to every publisher.
  await Promise.all(procs.flatMap((p, i) => ids.slice(0, publishers).filter((_, j) => j !== i).map((id) => p.waitFor((l) => l.type === "subscribed" && l.remote === id))));
  return { procs, ids };
}

const delays = (p: JsonProc, track: string, from: number): number[] =>
  p.lines.slice(from).filter((l: Line) => l.type === "delays" && String(l.track).endsWith(track)).flatMap((l) => l.samples as number[]);

async function cpu(procs: JsonProc[], ms: number): Promise<number[]> {
  const from = procs.map((p) => p.lines.length);
  procs.forEach((p) => p.send(`cpu ${ms}`));
  const res = await Promise.all(procs.map((p, i) => p.waitFor((l) => l.type === "cpu", ms + 30_000, from[i])));
  return res.map((l) => l.percentCore as number);
}

/** Run the suite; `seconds` is the length of each measuring window. */
export async function benchMedia(seconds: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  {
    const { procs } = await mesh(2, 1, ["--video", "--audio"]);
    await sleep(2_000); // warm-up: JIT, congestion window
    const from = procs[1]!.lines.length;
    await sleep(seconds * 1000);
    rows.push({ name: "video frame delay, 720p-sized @30 fps ≈2 Mbit/s, 2 processes", unit: "ms", summary: summarize(delays(procs[1]!, "synthetic-720p", from)), targets: [{ stat: "p50", max: 10 }, { stat: "p99", max: 50 }] });
    rows.push({ name: "audio frame delay, 160 B @50 fps (same run)", unit: "ms", summary: summarize(delays(procs[1]!, "synthetic", from)) });
    const chatFrom = procs[1]!.lines.length;
    for (let i = 0; i < 50; i++) {
      procs[0]!.send("chat");
      await sleep(50);
    }
    await procs[1]!.waitFor((l) => l.type === "chat", 10_000, chatFrom);
    await sleep(500);
    const chat = procs[1]!.lines.slice(chatFrom).filter((l) => l.type === "chat").map((l) => l.delayMs as number);
    rows.push({ name: "chat message delay (while video flows)", unit: "ms", summary: summarize(chat), targets: [{ stat: "p99", max: 50 }] });
    await Promise.all(procs.map((p) => p.stop()));
  }
  for (const n of [2, 4, 6]) {
    const { procs } = await mesh(n, n, ["--video"]);
    await sleep(2_000);
    rows.push({ name: `CPU per peer, ${n}-peer mesh, each publishing 2 Mbit/s`, unit: "%core", summary: summarize(await cpu(procs, seconds * 1000)) });
    await Promise.all(procs.map((p) => p.stop()));
  }
  const fanout: number[] = [];
  for (const subs of [1, 3, 5]) {
    const { procs } = await mesh(subs + 1, 1, ["--video"]);
    await sleep(2_000);
    const [pub] = await cpu(procs.slice(0, 1), seconds * 1000);
    fanout.push(pub!);
    rows.push({ name: `publisher CPU with ${subs} subscriber(s)`, unit: "%core", summary: summarize([pub!]) });
    await Promise.all(procs.map((p) => p.stop()));
  }
  const slope = (fanout[2]! - fanout[0]!) / 4;
  rows.push({ name: "publisher CPU added per subscriber (1→5 subscribers)", unit: "%core", summary: summarize([slope]), targets: [{ stat: "p50", max: 5 }] });
  return rows;
}
