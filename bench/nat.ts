/**
 * NAT benchmarks in network namespaces (issue 6; topology in test/netns.ts), two scenarios per repetition:
 * - relay only (UDP between the sites dropped, so hole punching fails): time for a peer behind one NAT to join a
 *   peer behind another through the relay, video frame delay over the relayed path, and time for media to resume
 *   after a 3 s link cut;
 * - direct upgrade (STUN on the public host, UDP open): time from the relayed connection to the direct one, and
 *   video frame delay over the direct (WebRTC) path.
 * Needs root (ip netns, iptables) and coturn; returns no rows otherwise.
 */
import { RoomTicket } from "../shared/ticket.ts";
import { summarize } from "../shared/stats.ts";
import { CliPeer, type CliLine } from "../test/cli-peer.ts";
import { blockUdpBetweenSites, buildNatTopology, cutLink, netnsUnavailable, restoreLink, startStun, stunUnavailable, type NatTopology } from "../test/netns.ts";
import type { BenchRow } from "./report.ts";

const CUT_MS = 3_000;
/** Seconds of per-second delay samples taken on each path. */
const DELAY_SAMPLES = 5;
const now = (): number => performance.timeOrigin + performance.now();
type Line = CliLine & { at: number };
const video = (remote: string) => (l: CliLine): boolean => l.type === "stats" && l.remote === remote && String(l.track).startsWith("video/") && (l.framesLastSecond as number) > 0;

interface Pair {
  a: CliPeer;
  b: CliPeer;
  idA: string;
  t0: number;
  topo: NatTopology;
}

/** Topology, STUN, relay, and A (creator) + B (joiner from a relay-only ticket); `body` gets the running pair. */
async function withPair<T>(opts: { udp: boolean }, body: (p: Pair) => Promise<T>): Promise<T> {
  const topo = buildNatTopology(2);
  const procs: CliPeer[] = [];
  const stun = await startStun(topo);
  try {
    const [sa, sb] = topo.sites as [(typeof topo.sites)[0], (typeof topo.sites)[0]];
    if (!opts.udp) blockUdpBetweenSites(topo, true);
    const relay = CliPeer.start(["relay"], { netns: topo.pub, listen: topo.pubAddrs.map((x) => `/ip4/${x}/tcp/4001`) });
    procs.push(relay);
    const addrs = (await relay.waitFor((l) => l.type === "relay-ready")).addrs as string[];
    const via = (i: number): string[] => ["--relay", addrs.find((x) => x.startsWith(`/ip4/${topo.pubAddrs[i]}/`))!, "--stun", stun.addrs[i]!];
    const media = ["--publish", "test", "--subscribe-stats", "--log-level", "info"];
    const a = CliPeer.start(["create", ...via(0), ...media], { netns: sa.peer, listen: ["/ip4/0.0.0.0/tcp/0"] });
    procs.push(a);
    const ra = await a.ready();
    const full = RoomTicket.parse(ra.ticket);
    const ticket = full.withBootstrap([{ peerId: ra.peerId, addrs: full.bootstrap[0]!.addrs.filter((x) => x.includes("/p2p-circuit")) }]);
    const t0 = now();
    const b = CliPeer.start(["join", ticket.toString(), ...via(1), ...media], { netns: sb.peer, listen: ["/ip4/0.0.0.0/tcp/0"] });
    procs.push(b);
    return await body({ a, b, idA: ra.peerId, t0, topo });
  } finally {
    await Promise.all(procs.map((p) => p.dispose()));
    await stun.stop();
    topo.destroy();
  }
}

/** Median of the per-second video delay p50s B reports for A over the next {@link DELAY_SAMPLES} seconds. */
async function frameDelay(b: CliPeer, idA: string): Promise<number> {
  const from = b.lines.length;
  await b.waitFor((l) => video(idA)(l) && b.lines.slice(from).filter(video(idA)).length >= DELAY_SAMPLES, { from, timeoutMs: 30_000 });
  return summarize(b.lines.slice(from).filter(video(idA)).map((l) => l.delayP50Ms as number)).p50;
}

/** Relay only: [join ms, relayed frame delay ms, resubscribed ms, frames flowing ms] (the last two after the link came back). */
async function relayOnly(): Promise<[number, number, number, number]> {
  return withPair({ udp: false }, async ({ a, b, idA, t0, topo }) => {
    const joinedAt = (await b.waitFor((l) => l.type === "PeerJoined" && l.remote === idA)).at;
    await b.waitFor(video(idA));
    const delay = await frameDelay(b, idA);
    const from = b.lines.length;
    cutLink(topo.sites[0]!);
    await new Promise((r) => setTimeout(r, CUT_MS));
    restoreLink(topo.sites[0]!);
    const up = now();
    const sub = await b.waitFor((l) => l.type === "BroadcastSubscribed" && l.remote === idA, { from });
    const frames = await b.waitFor((l) => video(idA)(l) && (l as Line).at > up, { from });
    if (a.stderr.includes("direct path established") || b.stderr.includes("direct path established")) throw new Error("relay-only run went direct: UDP block ineffective");
    return [joinedAt - t0, delay, sub.at - up, frames.at - up];
  });
}

/** Direct upgrade: [relayed → direct connection ms (upgrader's own clock), B start → PeerPathChanged direct ms, direct frame delay ms]. */
async function directUpgrade(): Promise<[number, number, number]> {
  return withPair({ udp: true }, async ({ a, b, idA, t0 }) => {
    const direct = await b.waitFor((l) => l.type === "PeerPathChanged" && l.remote === idA && l.path === "direct", { timeoutMs: 45_000 });
    const upgradeMs = Math.min(...[a.stderr, b.stderr].map((s) => Number(/direct path established[^\n]*"afterRelayedMs":(\d+)/.exec(s)?.[1] ?? Infinity)));
    const settle = b.lines.length;
    await b.waitFor((l) => video(idA)(l) && (l as Line).at > direct.at + 1000, { from: settle });
    return [upgradeMs, direct.at - t0, await frameDelay(b, idA)];
  });
}

/** Run the suite; `reps` repetitions of each scenario. */
export async function benchNat(reps: number): Promise<BenchRow[]> {
  const why = netnsUnavailable() ?? stunUnavailable();
  if (why !== undefined) {
    process.stderr.write(`nat: skipped: ${why}\n`);
    return [];
  }
  const relayed: [number, number, number, number][] = [];
  const direct: [number, number, number][] = [];
  for (let i = 0; i < reps; i++) {
    relayed.push(await relayOnly());
    direct.push(await directUpgrade());
  }
  const col = <T extends number[]>(runs: T[], i: number): number[] => runs.map((r) => Math.round(r[i]!));
  return [
    { name: "relay only (UDP between the NATs dropped): join through the relay, joiner start → PeerJoined (both peers behind NATs)", unit: "ms", summary: summarize(col(relayed, 0)) },
    { name: "relay only: video frame delay on the relayed path, median of per-second p50 (same-clock sender/receiver)", unit: "ms", summary: summarize(col(relayed, 1)) },
    { name: `relay only, ${CUT_MS / 1000} s link cut: link back → broadcast resubscribed`, unit: "ms", summary: summarize(col(relayed, 2)), targets: [{ stat: "p50", max: 3000 }] },
    { name: `relay only, ${CUT_MS / 1000} s link cut: link back → video frames flowing (1 s stats granularity)`, unit: "ms", summary: summarize(col(relayed, 3)), targets: [{ stat: "p50", max: 3000 }] },
    { name: "STUN, UDP open: relayed connection open → direct (WebRTC) connection open", unit: "ms", summary: summarize(col(direct, 0)) },
    { name: "STUN, UDP open: joiner start → PeerPathChanged direct", unit: "ms", summary: summarize(col(direct, 1)) },
    { name: "STUN, UDP open: video frame delay on the direct path, median of per-second p50 (same-clock sender/receiver)", unit: "ms", summary: summarize(col(direct, 2)) },
  ];
}
