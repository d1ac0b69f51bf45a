/**
 * mDNS (`--mdns`): two `rooms` peers on one LAN (network namespaces on a bridge, test/netns.ts) meet from a
 * ticket whose bootstrap entry names the creator but carries no address. Without --mdns they cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomTicket } from "../shared/ticket.ts";
import { CliPeer } from "./cli-peer.ts";
import { buildLan, netnsUnavailable, type LanTopology } from "./netns.ts";

const unavailable = netnsUnavailable();
if (unavailable !== undefined) console.warn(`skipping mDNS tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("mDNS on one LAN (network namespaces)", () => {
  let lan: LanTopology;
  const procs: CliPeer[] = [];
  const start = (args: string[], ns: string): CliPeer => {
    const p = CliPeer.start([...args, "--log-level", "info"], { netns: ns, listen: ["/ip4/0.0.0.0/tcp/0"] });
    procs.push(p);
    return p;
  };

  beforeAll(() => {
    lan = buildLan(2);
  });

  afterAll(async () => {
    await Promise.all(procs.splice(0).map((p) => p.dispose()));
    lan?.destroy();
  });

  /** A's ticket with A as the only bootstrap peer, and no address for it. */
  const addressless = (ready: { peerId: string; ticket: string }): string =>
    RoomTicket.parse(ready.ticket).withBootstrap([{ peerId: ready.peerId, addrs: [] }]).toString();

  it("peers meet from a ticket with no address when both use --mdns", async () => {
    const [h1, h2] = lan.hosts as [LanTopology["hosts"][0], LanTopology["hosts"][0]];
    const a = start(["create", "--mdns", "--chat"], h1.ns);
    const readyA = await a.ready();
    const t0 = Date.now();
    const b = start(["join", addressless(readyA), "--mdns", "--chat"], h2.ns);
    const { peerId: idB } = await b.ready();
    await b.waitFor((l) => l.type === "PeerJoined" && l.remote === readyA.peerId, { what: "B finds A by mDNS", timeoutMs: 30_000 });
    await a.waitFor((l) => l.type === "PeerJoined" && l.remote === idB, { what: "A sees B", timeoutMs: 30_000 });
    console.info(`mDNS join: ${Date.now() - t0} ms from B's start`);
    a.command("hello over the LAN");
    await b.waitFor((l) => l.type === "ChatReceived" && l.text === "hello over the LAN", { what: "chat" });
    expect((await b.waitFor((l) => l.type === "PeerPathChanged" && l.remote === readyA.peerId)).path).toBe("direct");
  }, 60_000);

  it("without --mdns the same ticket gets nowhere, and the failed dial is logged", async () => {
    const [h1, h2] = lan.hosts as [LanTopology["hosts"][0], LanTopology["hosts"][0]];
    const a = start(["create"], h1.ns);
    const readyA = await a.ready();
    const b = start(["join", addressless(readyA)], h2.ns);
    await b.ready();
    await new Promise((r) => setTimeout(r, 4_000));
    expect(b.lines.filter((l) => l.type === "PeerJoined")).toHaveLength(0);
    expect(b.stderr).toMatch(/dial failed; retrying with backoff/);
  }, 30_000);
});
