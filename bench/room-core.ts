/**
 * Room-core benchmarks with real `rooms` CLI processes on loopback (issue 2):
 * convergence after the last join (N = 2, 4, 8), state propagation, and time to PeerLeft after a crash
 * and after a graceful leave.
 */
import { CliPeer } from "../test/cli-peer.ts";
import type { BenchRow } from "./report.ts";
import { summarize } from "../shared/stats.ts";

async function room(n: number): Promise<{ peers: CliPeer[]; ids: string[]; convergedMs: number }> {
  const first = CliPeer.start(["create", "--name", "P0"]);
  const { ticket, peerId } = await first.ready();
  const rest = Array.from({ length: n - 1 }, (_, i) => CliPeer.start(["join", ticket, "--name", `P${i + 1}`]));
  const readies = await Promise.all(rest.map((p) => p.waitFor((l) => l.type === "ready", { timeoutMs: 60_000 })));
  const ids = [peerId, ...readies.map((r) => r.peerId as string)];
  const peers = [first, ...rest];
  const lastJoin = Math.max(...readies.map((r) => r.at));
  const seen = await Promise.all(
    peers.flatMap((p, i) => ids.filter((_, j) => j !== i).map((id) => p.waitFor((l) => l.type === "PeerJoined" && l.remote === id, { timeoutMs: 60_000 }))),
  );
  return { peers, ids, convergedMs: Math.max(...seen.map((l) => l.at)) - lastJoin };
}

const dispose = (ps: CliPeer[]): Promise<void[]> => Promise.all(ps.map((p) => p.dispose()));
const now = (): number => performance.timeOrigin + performance.now();

/** Run the suite; `reps` scales the number of repetitions. */
export async function benchRoomCore(reps: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [2, 4, 8]) {
    const samples: number[] = [];
    for (let r = 0; r < (n === 8 ? Math.max(2, Math.ceil(reps / 2)) : reps); r++) {
      const { peers, convergedMs } = await room(n);
      samples.push(convergedMs);
      await dispose(peers);
    }
    rows.push({ name: `all ${n} peers see all peers, after the last join`, unit: "ms", summary: summarize(samples), ...(n === 8 && { targets: [{ stat: "p50" as const, max: 1500 }] }) });
  }

  // State propagation: a rename on P1 until every other peer reports PeerUpdated.
  {
    const { peers, ids } = await room(4);
    const samples: number[] = [];
    for (let i = 0; i < reps * 4; i++) {
      const from = peers.map((p) => p.lines.length);
      const t0 = now();
      peers[1]!.command(`/name N${i}`);
      const got = await Promise.all(peers.filter((_, j) => j !== 1).map((p, k) => p.waitFor((l) => l.type === "PeerUpdated" && l.remote === ids[1] && l.displayName === `N${i}`, { from: from[k === 0 ? 0 : k + 1] })));
      samples.push(...got.map((l) => l.at - t0));
    }
    rows.push({ name: "state change reaches a peer (4-peer room)", unit: "ms", summary: summarize(samples) });
    await dispose(peers);
  }

  // Departures: crash (kill -9) and graceful leave, observed by the two other peers.
  for (const mode of ["crash", "leave"] as const) {
    const samples: number[] = [];
    for (let r = 0; r < reps; r++) {
      const { peers, ids } = await room(3);
      const t0 = now();
      if (mode === "crash") peers[2]!.proc.kill("SIGKILL");
      else peers[2]!.command("/leave");
      const got = await Promise.all(peers.slice(0, 2).map((p) => p.waitFor((l) => l.type === "PeerLeft" && l.remote === ids[2], { timeoutMs: 30_000 })));
      samples.push(...got.map((l) => l.at - t0));
      await dispose(peers);
    }
    rows.push(mode === "crash"
      ? { name: "PeerLeft after kill -9", unit: "ms", summary: summarize(samples), targets: [{ stat: "p99", max: 5000 }] }
      : { name: "PeerLeft after a graceful leave", unit: "ms", summary: summarize(samples), targets: [{ stat: "p99", max: 1000 }] });
  }
  return rows;
}
