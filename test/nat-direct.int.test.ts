/**
 * Direct-path upgrade across NATs, in network namespaces (test/netns.ts): the public host runs the relay and
 * a STUN server (coturn). Two `rooms` peers, each behind its own masquerading NAT, meet through the relay from
 * a ticket naming only the creator's relayed address, learn their mapped addresses over STUN, hole-punch a
 * WebRTC (UDP) connection and move the call onto it. UDP between the sites is blocked at first, so the call
 * starts relayed and the first hole punch fails (the relay is kept); once UDP is let through, a later attempt
 * succeeds and the running call moves over. Then the relay is stopped: the call goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomTicket } from "../shared/ticket.ts";
import { CliPeer, type CliLine } from "./cli-peer.ts";
import { until } from "./until.ts";
import { blockUdpBetweenSites, buildNatTopology, netnsUnavailable, startStun, type NatTopology, type StunServer } from "./netns.ts";

const unavailable = netnsUnavailable();
if (unavailable !== undefined) console.warn(`skipping NAT direct-path tests: ${unavailable}`);

type Line = CliLine & { at: number };
const videoFrom = (remote: string) => (l: CliLine): boolean =>
  l.type === "stats" && l.remote === remote && String(l.track).startsWith("video/") && (l.framesLastSecond as number) > 0;
const pathTo = (remote: string, path?: string) => (l: CliLine): boolean => l.type === "PeerPathChanged" && l.remote === remote && (path === undefined || l.path === path);

describe.skipIf(unavailable !== undefined)("direct path across NATs (network namespaces, STUN)", () => {
  let topo: NatTopology;
  let stun: StunServer;
  let relay: CliPeer;
  const procs: CliPeer[] = [];
  let relayAddrs: string[] = [];
  const start = (args: string[], netns: string, listen: string[]): CliPeer => {
    const p = CliPeer.start(args, { netns, listen });
    procs.push(p);
    return p;
  };

  beforeAll(async () => {
    topo = buildNatTopology(2);
    stun = await startStun(topo);
    relay = start(["relay", "--log-level", "info"], topo.pub, topo.pubAddrs.map((a) => `/ip4/${a}/tcp/4001`));
    relayAddrs = (await relay.waitFor((l) => l.type === "relay-ready", { what: "relay ready" })).addrs as string[];
  });

  afterAll(async () => {
    if (process.env["NAT_DEBUG"] !== undefined) dump(procs);
    await Promise.all(procs.splice(0).map((p) => p.dispose()));
    await stun?.stop();
    topo?.destroy();
  });

  const relayFor = (i: number): string => relayAddrs.find((a) => a.startsWith(`/ip4/${topo.pubAddrs[i]}/tcp/4001/`))!;

  it("NATed peers meet through the relay, upgrade to a direct path, and keep the call when the relay stops", async () => {
    const [siteA, siteB] = topo.sites as [NatTopology["sites"][0], NatTopology["sites"][0]];
    const media = ["--chat", "--publish", "test", "--subscribe-stats", "--log-level", "info"];
    const a = start(["create", "--name", "A", "--relay", relayFor(0), "--stun", stun.addrs[0]!, ...media], siteA.peer, ["/ip4/0.0.0.0/tcp/0"]);
    const readyA = await a.ready();
    const full = RoomTicket.parse(readyA.ticket);
    const circuits = full.bootstrap[0]!.addrs.filter((x) => x.includes("/p2p-circuit"));
    const ticket = full.withBootstrap([{ peerId: readyA.peerId, addrs: circuits }]).toString();
    blockUdpBetweenSites(topo, true);
    const b = start(["join", ticket, "--name", "B", "--relay", relayFor(1), "--stun", stun.addrs[1]!, ...media], siteB.peer, ["/ip4/0.0.0.0/tcp/0"]);
    const { peerId: idB } = await b.ready();
    const idA = readyA.peerId;
    await b.waitFor((l) => l.type === "PeerJoined" && l.remote === idA, { what: "B sees A", timeoutMs: 30_000 });
    await a.waitFor((l) => l.type === "PeerJoined" && l.remote === idB, { what: "A sees B", timeoutMs: 30_000 });

    // No UDP between the sites: the call runs relayed, and the failed hole punch keeps the relay.
    for (const [p, remote] of [[a, idB], [b, idA]] as const) {
      expect((await p.waitFor(pathTo(remote), { what: "first path" })).path).toBe("relayed");
      await p.waitFor((l) => videoFrom(remote)(l), { what: "video over the relay" });
    }
    await until(() => /no direct path; staying on the relay/.test(a.stderr + b.stderr), "a failed hole punch is reported", 20_000);

    // UDP allowed: the next attempt punches through and the running call moves to the direct path.
    blockUdpBetweenSites(topo, false);
    const unblocked = performance.timeOrigin + performance.now();
    const directAtB = await b.waitFor(pathTo(idA, "direct"), { what: "B direct to A", timeoutMs: 45_000 });
    const directAtA = await a.waitFor(pathTo(idB, "direct"), { what: "A direct to B", timeoutMs: 45_000 });
    console.info(`direct path ${Math.round(Math.max(directAtA.at, directAtB.at) - unblocked)} ms after UDP was let through (retries back off); rtt at B ${String(directAtB.rttMs)} ms, at A ${String(directAtA.rttMs)} ms`);
    for (const p of [a, b]) expect(p.stderr).toMatch(/direct path established; moving off the relay .*"transport":"\/webrtc"/);

    // Chat and media over the direct path, both ways.
    const afterUpgrade = Math.max(directAtA.at, directAtB.at);
    const fromA = a.lines.length;
    const fromB = b.lines.length;
    await b.waitFor((l) => videoFrom(idA)(l) && (l as Line).at > afterUpgrade + 1000, { what: "A's video at B after the upgrade", from: fromB });
    await a.waitFor((l) => videoFrom(idB)(l) && (l as Line).at > afterUpgrade + 1000, { what: "B's video at A after the upgrade", from: fromA });
    a.command("direct hello from A");
    await b.waitFor((l) => l.type === "ChatReceived" && l.text === "direct hello from A", { what: "chat A→B direct", from: fromB });
    b.command("direct hello from B");
    await a.waitFor((l) => l.type === "ChatReceived" && l.text === "direct hello from B", { what: "chat B→A direct", from: fromA });
    reportMigration("B", b, idA, afterUpgrade);
    reportMigration("A", a, idB, afterUpgrade);

    // Stop the relay: nothing of the call runs through it any more.
    await relay.kill("SIGTERM");
    const stopped = performance.timeOrigin + performance.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const fromA2 = a.lines.length;
    const fromB2 = b.lines.length;
    a.command("relay is gone");
    await b.waitFor((l) => l.type === "ChatReceived" && l.text === "relay is gone", { what: "chat after the relay stopped", from: fromB2 });
    b.command("still here");
    await a.waitFor((l) => l.type === "ChatReceived" && l.text === "still here", { what: "chat back after the relay stopped", from: fromA2 });
    await b.waitFor((l) => videoFrom(idA)(l) && (l as Line).at > stopped + 2000, { what: "video at B after the relay stopped", from: fromB2 });
    await a.waitFor((l) => videoFrom(idB)(l) && (l as Line).at > stopped + 2000, { what: "video at A after the relay stopped", from: fromA2 });

    for (const [p, remote] of [[a, idB], [b, idA]] as const) {
      expect(p.eventsAbout("PeerLeft", remote), "no PeerLeft during the upgrade or after the relay stopped").toHaveLength(0);
      expect(p.eventsAbout("PeerJoined", remote), "no new join").toHaveLength(1);
      expect(p.lines.filter((l) => pathTo(remote)(l) && (l).at > afterUpgrade).map((l) => l.path), "stays direct").not.toContain("relayed");
    }
  }, 150_000);
});

/** Log how the subscription moved with the upgrade (ended → subscribed again) and the video frame gap. */
function reportMigration(name: string, p: CliPeer, remote: string, upgradeAt: number): void {
  const ended = p.lines.find((l) => l.type === "BroadcastEnded" && l.remote === remote && l.at > upgradeAt - 2000);
  const again = ended === undefined ? undefined : p.lines.find((l) => l.type === "BroadcastSubscribed" && l.remote === remote && l.at > ended.at);
  const quiet = p.lines.filter((l) => l.type === "stats" && l.remote === remote && String(l.track).startsWith("video/") && l.at > upgradeAt - 3000 && l.at < upgradeAt + 5000)
    .map((l) => l.framesLastSecond);
  console.info(`${name}: subscription ${ended === undefined ? "not interrupted" : `ended (${String(ended.reason)}) and resubscribed after ${again === undefined ? "?" : Math.round(again.at - ended.at)} ms`}; video frames/s around the upgrade: ${quiet.join(" ")}`);
}

/** NAT_DEBUG=1: every peer's non-stats lines and stderr, for a failure that needs a closer look. */
function dump(procs: CliPeer[]): void {
  for (const [i, p] of procs.entries()) {
    const t0 = p.lines[0]?.at ?? 0;
    console.info(`--- process ${i} lines\n${p.lines.filter((l) => l.type !== "stats" || l.framesLastSecond === 0).map((l) => `${Math.round(l.at - t0)} ${JSON.stringify(l).slice(0, 300)}`).join("\n")}\n--- stderr\n${p.stderr}`);
  }
}
