/**
 * NAT benchmarks in network namespaces (issue 6; topology in test/netns.ts): time for a peer behind one NAT
 * to join a peer behind another through the relay, and time for media to resume after a 3 s link cut.
 * Needs root (ip netns, iptables); returns no rows otherwise.
 */
import { RoomTicket } from "../shared/ticket.ts";
import { summarize } from "../shared/stats.ts";
import { CliPeer, type CliLine } from "../test/cli-peer.ts";
import { buildNatTopology, cutLink, netnsUnavailable, restoreLink } from "../test/netns.ts";
import type { BenchRow } from "./report.ts";

const CUT_MS = 3_000;
const now = (): number => performance.timeOrigin + performance.now();
const video = (remote: string) => (l: CliLine): boolean => l.type === "stats" && l.remote === remote && String(l.track).startsWith("video/") && (l.framesLastSecond as number) > 0;

/** One run: returns [join ms, resubscribed ms, frames flowing ms] (the last two after the link came back). */
async function once(): Promise<[number, number, number]> {
  const topo = buildNatTopology(2);
  const procs: CliPeer[] = [];
  try {
    const [sa, sb] = topo.sites as [(typeof topo.sites)[0], (typeof topo.sites)[0]];
    const relay = CliPeer.start(["relay"], { netns: topo.pub, listen: topo.pubAddrs.map((a) => `/ip4/${a}/tcp/4001`) });
    procs.push(relay);
    const addrs = (await relay.waitFor((l) => l.type === "relay-ready")).addrs as string[];
    const via = (i: number): string => addrs.find((a) => a.startsWith(`/ip4/${topo.pubAddrs[i]}/`))!;
    const media = ["--publish", "test", "--subscribe-stats"];
    const a = CliPeer.start(["create", "--relay", via(0), ...media], { netns: sa.peer, listen: ["/ip4/0.0.0.0/tcp/0"] });
    procs.push(a);
    const ra = await a.ready();
    const full = RoomTicket.parse(ra.ticket);
    const ticket = full.withBootstrap([{ peerId: ra.peerId, addrs: full.bootstrap[0]!.addrs.filter((x) => x.includes("/p2p-circuit")) }]);
    const t0 = now();
    const b = CliPeer.start(["join", ticket.toString(), "--relay", via(1), ...media], { netns: sb.peer, listen: ["/ip4/0.0.0.0/tcp/0"] });
    procs.push(b);
    const joinedAt = (await b.waitFor((l) => l.type === "PeerJoined" && l.remote === ra.peerId)).at;
    await b.waitFor(video(ra.peerId));
    const from = b.lines.length;
    cutLink(sa);
    await new Promise((r) => setTimeout(r, CUT_MS));
    restoreLink(sa);
    const up = now();
    const sub = await b.waitFor((l) => l.type === "BroadcastSubscribed" && l.remote === ra.peerId, { from });
    const frames = await b.waitFor((l) => video(ra.peerId)(l) && (l as CliLine & { at: number }).at > up, { from });
    return [joinedAt - t0, sub.at - up, frames.at - up];
  } finally {
    await Promise.all(procs.map((p) => p.dispose()));
    topo.destroy();
  }
}

/** Run the suite; `reps` repetitions. */
export async function benchNat(reps: number): Promise<BenchRow[]> {
  const why = netnsUnavailable();
  if (why !== undefined) {
    process.stderr.write(`nat: skipped: ${why}\n`);
    return [];
  }
  const runs: [number, number, number][] = [];
  for (let i = 0; i < reps; i++) runs.push(await once());
  const col = (i: 0 | 1 | 2): number[] => runs.map((r) => Math.round(r[i]));
  return [
    { name: "join through the relay: joiner start → PeerJoined (both peers behind NATs)", unit: "ms", summary: summarize(col(0)) },
    { name: `${CUT_MS / 1000} s link cut: link back → broadcast resubscribed`, unit: "ms", summary: summarize(col(1)), targets: [{ stat: "p50", max: 3000 }] },
    { name: `${CUT_MS / 1000} s link cut: link back → video frames flowing (1 s stats granularity)`, unit: "ms", summary: summarize(col(2)), targets: [{ stat: "p50", max: 3000 }] },
  ];
}
