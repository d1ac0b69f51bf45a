/**
 * Bad input from the network side, with real libp2p nodes on loopback: a relay that refuses reservations,
 * an unreachable address in a ticket, and a peer advertising hundreds of addresses. Each gives a clear log
 * line and the room keeps working.
 */
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { afterEach, describe, expect, it } from "vitest";
import { PostcardWriter } from "../../shared/codec/postcard.ts";
import { PEER_ADDRS_KEY } from "../../shared/peer-addrs.ts";
import { encodePeerState, PEER_STATE_KEY } from "../../shared/peer-state.ts";
import { RoomTicket } from "../../shared/ticket.ts";
import { until } from "../../test/until.ts";
import type { Log } from "../log.ts";
import { Room } from "../room/room.ts";
import type { RoomEvent } from "../room/events.ts";
import { GossipKv } from "../state/gossip-kv.ts";
import { createLibp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@libp2p/noise";
import { yamux } from "@libp2p/yamux";
import { identify } from "@libp2p/identify";
import { MAX_IDENTIFY_ADDRS } from "./addr-guard.ts";
import { createRoomsNode, type RoomsNode } from "./node.ts";
import { RelayKeeper } from "./relay-client.ts";
import { createRelayNode, type RelayNode } from "./relay-server.ts";

const LOOPBACK = ["/ip4/127.0.0.1/tcp/0"];
const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

/** A log that keeps its lines, to assert on what an operator would read. */
function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const rec = (lvl: string) => (msg: string, fields?: Record<string, unknown>): void => void lines.push(`${lvl} ${msg} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: rec("debug"), info: rec("info"), warn: rec("warn") };
}

async function node(relayReservations = 0, log?: Log): Promise<{ node: RoomsNode; privateKey: Awaited<ReturnType<typeof generateKeyPair>> }> {
  const privateKey = await generateKeyPair("Ed25519");
  const n = await createRoomsNode({ privateKey, listen: LOOPBACK, relayReservations, ...(log !== undefined && { log }) });
  stops.push(() => n.stop());
  return { node: n, privateKey };
}

async function relay(maxReservations?: number): Promise<RelayNode> {
  const r = await createRelayNode({ privateKey: await generateKeyPair("Ed25519"), listen: LOOPBACK, ...(maxReservations !== undefined && { maxReservations }) });
  stops.push(() => r.stop());
  return r;
}

async function join(n: { node: RoomsNode; privateKey: Awaited<ReturnType<typeof generateKeyPair>> }, ticket: RoomTicket, log: Log): Promise<{ room: Room; events: RoomEvent[] }> {
  const room = await Room.join({ node: n.node, privateKey: n.privateKey, log }, { ticket });
  stops.push(() => room.abandon());
  const events: RoomEvent[] = [];
  void (async () => {
    for await (const ev of room) events.push(ev);
  })();
  return { room, events };
}

const joined = (evs: RoomEvent[], remote: string): boolean => evs.some((e) => e.type === "PeerJoined" && e.remote === remote);

describe("bad network input", () => {
  it("a relay that refuses reservations is reported, and the room still works directly", async () => {
    const full = await relay(0);
    const good = await relay();
    const log = recordingLog();
    const a = await node(2);
    const keeper = RelayKeeper.start(a.node, [String(full.getMultiaddrs()[0]), String(good.getMultiaddrs()[0])], log);
    stops.push(() => keeper.stop());
    await until(() => Object.values(keeper.states()).every((s) => s !== "connecting"), "every relay settled", 15_000);
    expect(keeper.states()).toEqual({ [full.peerId.toString()]: "no-reservation", [good.peerId.toString()]: "reserved" });
    expect(log.lines.some((l) => l.startsWith("warn relay connected but gave no reservation") && l.includes(full.peerId.toString()))).toBe(true);
    // Only the relay that granted a slot shows up in our advertised addresses.
    expect(a.node.getMultiaddrs().some((m) => m.toString().includes(`${full.peerId.toString()}/p2p-circuit`))).toBe(false);

    const ra = await join(a, RoomTicket.generate(), log);
    const b = await node();
    const rb = await join(b, ra.room.ticket(), recordingLog());
    await until(() => joined(ra.events, rb.room.handle.me) && joined(rb.events, ra.room.handle.me), "A and B meet", 15_000);
  }, 40_000);

  it("an unreachable relay is reported and retried; a relay with no peer id is refused up front", async () => {
    const log = recordingLog();
    const a = await node(1);
    const ghost = peerIdFromPrivateKey(await generateKeyPair("Ed25519"));
    // Port 1 on loopback: nothing listens, the dial is refused at once.
    const keeper = RelayKeeper.start(a.node, [`/ip4/127.0.0.1/tcp/1/p2p/${ghost.toString()}`], log);
    stops.push(() => keeper.stop());
    await until(() => keeper.states()[ghost.toString()] === "unreachable", "relay reported unreachable", 10_000);
    expect(log.lines.some((l) => l.startsWith("warn relay unreachable; retrying with backoff"))).toBe(true);
    expect(() => RelayKeeper.start(a.node, ["/ip4/127.0.0.1/tcp/4001"], log)).toThrow(/must end with \/p2p\/<relay peer id>/);
  }, 20_000);

  it("an unreachable peer in a ticket is logged and retried; the room forms through the reachable one", async () => {
    const a = await node();
    const ra = await join(a, RoomTicket.generate(), recordingLog());
    const ghost = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    const ghostRelay = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    const ticket = ra.room.ticket().withBootstrap([
      { peerId: ghost, addrs: ["/ip4/127.0.0.1/tcp/1", `/ip4/127.0.0.1/tcp/2/p2p/${ghostRelay}/p2p-circuit`] },
      ...ra.room.ticket().bootstrap,
    ]);
    const log = recordingLog();
    const rb = await join(await node(), ticket, log);
    await until(() => joined(rb.events, ra.room.handle.me) && joined(ra.events, rb.room.handle.me), "B and A meet through the reachable peer", 15_000);
    await until(() => log.lines.some((l) => l.startsWith("info dial failed; retrying with backoff") && l.includes(ghost)), "dial failure logged for the unreachable peer", 10_000);
  }, 30_000);

  it("a peer advertising over a hundred addresses: its address entry is refused with a warning, the room goes on", async () => {
    const a = await node();
    const logA = recordingLog();
    const ra = await join(a, RoomTicket.generate(), logA);
    const ticket = ra.room.ticket();
    // Mallory writes valid presence, then an address list far over the cap, by hand.
    const m = await node();
    const kv = await GossipKv.start({ node: m.node, topic: ticket.topic, privateKey: m.privateKey, log: recordingLog(), onEntry: () => {}, onExpired: () => {} });
    stops.push(() => kv.stop());
    await m.node.dial(multiaddr(`${ticket.bootstrap[0]!.addrs[0]!}/p2p/${ticket.bootstrap[0]!.peerId}`));
    await kv.put(PEER_STATE_KEY, encodePeerState({ broadcasts: [], displayName: "mallory" }));
    // 110 addresses is as many as fit the 1 KiB state-value cap (a bigger value is refused as "oversized").
    const many = Array.from({ length: 110 }, (_, i) => multiaddr(`/ip4/127.0.${i >> 8}.${i & 255}/tcp/4001`).bytes);
    await kv.put(PEER_ADDRS_KEY, new PostcardWriter().vec(many, (w, b) => w.bytes(b)).finish());
    const mallory = m.node.peerId.toString();
    await until(() => joined(ra.events, mallory), "A sees mallory", 15_000);
    await until(() => logA.lines.some((l) => l.startsWith("warn ignored undecodable state value") && l.includes(mallory)), "warning about mallory's addresses", 15_000);
    // An honest peer still joins and meets A.
    const rb = await join(await node(), ticket, recordingLog());
    await until(() => joined(rb.events, ra.room.handle.me) && joined(ra.events, rb.room.handle.me), "an honest peer meets A", 15_000);
  }, 40_000);

  it("a peer advertising hundreds of addresses through identify: trimmed with a warning, the room goes on", async () => {
    const logA = recordingLog();
    const a = await node(0, logA);
    const ra = await join(a, RoomTicket.generate(), recordingLog());
    // Mallory's identify lists 300 addresses (none of them real) besides the one it listens on.
    const junk = Array.from({ length: 300 }, (_, i) => `/ip4/10.${i >> 8}.${i & 255}.1/tcp/4001`);
    const m = await createLibp2p({
      addresses: { listen: LOOPBACK, appendAnnounce: junk },
      transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()],
      services: { identify: identify({ maxMessageSize: 64 * 1024 }) },
    });
    stops.push(() => m.stop());
    await m.dial(multiaddr(`${ra.room.ticket().bootstrap[0]!.addrs[0]!}/p2p/${ra.room.handle.me}`));
    await until(() => logA.lines.some((l) => l.startsWith("warn peer advertises too many addresses") && l.includes(m.peerId.toString())), "warning about mallory's address list", 10_000);
    let kept = Infinity;
    for (let i = 0; i < 50 && kept > MAX_IDENTIFY_ADDRS; i++, await new Promise((r) => setTimeout(r, 100))) kept = (await a.node.peerStore.get(m.peerId)).addresses.length;
    expect(kept).toBeLessThanOrEqual(MAX_IDENTIFY_ADDRS);
    const rb = await join(await node(), ra.room.ticket(), recordingLog());
    await until(() => joined(rb.events, ra.room.handle.me) && joined(ra.events, rb.room.handle.me), "an honest peer meets A", 15_000);
  }, 30_000);
});
