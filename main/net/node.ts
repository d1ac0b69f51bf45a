/**
 * The libp2p node every Live Rooms peer runs: TCP (+ WebSocket dialing) + noise + yamux + identify + ping +
 * gossipsub, and the circuit relay v2 client so peers behind NATs meet through a relay (main/net/relay-*.ts).
 *
 * Settings that differ from libp2p defaults, and why (measurements in shared/reference/libp2p-notes.md):
 * - gossipsub `StrictSign`: the gossipsub envelope is signed by the publishing peer, so a room entry arriving
 *   over gossip can be checked against its sender (a peer may only gossip its own state). Room entries are
 *   additionally signed at the application level so they can be relayed by anyone over state sync.
 * - `allowPublishToZeroTopicPeers`: a peer alone in its room must still be able to write its state.
 * - `inboundConnectionThreshold`: every loopback peer (and every peer behind one NAT) shares one IP; the
 *   default of 5 connections/s per host refuses the rest.
 * - connection monitor pings every 2 s so a frozen or black-holed peer is noticed in ~3 s, not ~15 s.
 * - gossipsub `runOnLimitedConnection`: a relay that keeps libp2p's default limits marks relayed connections
 *   "limited"; room state must still flow over them (our own relay, `rooms relay`, sets no limits).
 * - one `/p2p-circuit` listen address per configured relay: each asks the relay client for one reservation on
 *   a relay we are connected to, and is re-made by the client itself after the relay connection drops
 *   (a relay named by address instead would be reserved once and never again).
 * - direct-path upgrade (main/net/path-upgrade.ts): the WebRTC transport (UDP hole punching, signalled over
 *   the relayed connection) and DCUtR (TCP simultaneous open). With a relay we also listen on `/webrtc`, which
 *   adds a `…/p2p-circuit/webrtc` address per reservation. `rtcConfiguration.iceServers` is always set from
 *   our config: @libp2p/webrtc would otherwise ask public STUN servers (Google, Twilio…).
 * - the address sorter dials WebRTC addresses after relay circuits: peers meet through the relay first and
 *   upgrade afterwards, so a failed hole punch never delays a join (libp2p dials addresses one at a time).
 * - mDNS only when asked for (`mdns: true`): it fills the peer store, so a ticket entry without addresses
 *   can be dialed by peer id on the same LAN.
 */
import { createLibp2p, type Libp2p, type Libp2pOptions } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noiseOneWrite } from "./noise-one-write.ts";
import { yamuxHalfWindow } from "./yamux-half-window.ts";
import { identify, type Identify } from "@libp2p/identify";
import { ping, type Ping } from "@libp2p/ping";
import { gossipsub, type GossipSub } from "@libp2p/gossipsub";
import { circuitRelayTransport } from "@libp2p/circuit-relay-v2";
import { webSockets } from "@libp2p/websockets";
import { dcutr } from "@libp2p/dcutr";
import { mdns } from "@libp2p/mdns";
import { circuitRelayAddressesLast, loopbackAddressLast, publicAddressesFirst, reliableTransportsFirst } from "@libp2p/utils";
import type { Address, PrivateKey } from "@libp2p/interface";
import type { Multiaddr } from "@multiformats/multiaddr";
import { silentLog, type Log } from "../log.ts";
import { DirectPathUpgrader } from "./path-upgrade.ts";
import { guardIdentifyAddrs } from "./addr-guard.ts";
import { dialOnDiscovery } from "./discovery-dial.ts";

/** The services our node carries; the room code relies on these names. */
export type RoomsServices = {
  identify: Identify;
  ping: Ping;
  pubsub: GossipSub;
};

/** A started libp2p node with our services. */
export type RoomsNode = Libp2p<RoomsServices>;

/** Options for {@link createRoomsNode}. */
export interface RoomsNodeInit {
  privateKey: PrivateKey;
  /** Multiaddrs to listen on; default TCP on all IPv4 interfaces, random port. */
  listen?: string[];
  /** How many relay reservations to hold (one per configured relay); see main/net/relay-client.ts. */
  relayReservations?: number;
  /** STUN servers as `host:port`, used to learn our public UDP address for hole punching. None by default. */
  stun?: string[];
  /** Try a direct path to peers we reach through a relay (WebRTC, DCUtR); default true. */
  directUpgrade?: boolean;
  /** Discover peers on the local network with mDNS; default false. */
  mdns?: boolean;
  /** Where the node's own helpers report (direct path made, hole punch failed, oversized address lists). */
  log?: Log;
}

/** Default listen address: all interfaces, OS-chosen port. */
export const DEFAULT_LISTEN = ["/ip4/0.0.0.0/tcp/0"];

/** Create and start a node. */
export async function createRoomsNode(init: RoomsNodeInit): Promise<RoomsNode> {
  const upgrade = init.directUpgrade ?? true;
  const relays = init.relayReservations ?? 0;
  const transports: Transports = [tcp(), webSockets(), circuitRelayTransport()];
  if (upgrade) transports.push(await webrtcTransport(init.stun ?? []));
  const node = await createLibp2p({
    privateKey: init.privateKey,
    addresses: {
      listen: [
        ...(init.listen ?? DEFAULT_LISTEN),
        ...Array.from({ length: relays }, () => "/p2p-circuit"),
        ...(upgrade && relays > 0 ? ["/webrtc"] : []),
      ],
    },
    transports,
    connectionEncrypters: [noiseOneWrite()],
    streamMuxers: [yamuxHalfWindow()],
    ...(init.mdns === true && { peerDiscovery: [mdns()] }),
    connectionManager: {
      inboundConnectionThreshold: 1000,
      maxIncomingPendingConnections: 100,
      reconnectRetries: 5,
      addressSorter: relayBeforeWebRTC,
    },
    // A silent link (cable out, laptop asleep) is noticed by ping; a crashed peer's kernel closes TCP at once.
    // The timeout is generous because pings share the connection with media: on a saturated machine (two or
    // three whole call pages on two cores) limits of 3 s, then 9 s, still aborted healthy connections and the
    // call churned. A short outage survives as TCP retransmits instead of a redial; a silent loss is noticed
    // within ~40 s. (The interval must exceed the timeout: ping allows one outbound stream, and a second
    // ping while the first still waits counts as a failure.)
    connectionMonitor: { pingInterval: 20_000, pingTimeout: { minTimeout: 10_000, maxTimeout: 18_000 } },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({
        globalSignaturePolicy: "StrictSign",
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        fallbackToFloodsub: false,
        runOnLimitedConnection: true,
        // Room state messages are tiny; a hard cap keeps a hostile peer from making us buffer megabytes.
        maxInboundDataLength: 64 * 1024,
      }),
      ...(upgrade && { dcutr: dcutr() }),
    },
  });
  const unguard = guardIdentifyAddrs(node, init.log ?? silentLog);
  node.addEventListener("stop", unguard, { once: true });
  if (init.mdns === true) node.addEventListener("stop", dialOnDiscovery(node, init.log ?? silentLog), { once: true });
  if (upgrade) {
    const upgrader = DirectPathUpgrader.start(node, init.log ?? silentLog);
    node.addEventListener("stop", () => upgrader.stop(), { once: true });
  }
  return node;
}

/** The WebRTC transport, loaded on demand: it brings node-datachannel's native module. */
async function webrtcTransport(stun: readonly string[]): Promise<Transports[number]> {
  const { webRTC } = await import("@libp2p/webrtc");
  return webRTC({ rtcConfiguration: { iceServers: stunServers(stun) } });
}

type Transports = NonNullable<Libp2pOptions["transports"]>;

/** `host:port` entries as RTCIceServer objects; an empty list means host candidates only. */
export function stunServers(stun: readonly string[]): { urls: string[] }[] {
  return stun.length === 0 ? [] : [{ urls: stun.map((s) => `stun:${s}`) }];
}

const isWebRTC = (ma: Multiaddr): boolean => ma.getComponents().some((c) => c.name === "webrtc");

/** libp2p's default address order (certified first aside), with WebRTC (hole-punched) addresses last. */
export function relayBeforeWebRTC(a: Address, b: Address): -1 | 0 | 1 {
  const wa = isWebRTC(a.multiaddr);
  if (wa !== isWebRTC(b.multiaddr)) return wa ? 1 : -1;
  return (loopbackAddressLast(a.multiaddr, b.multiaddr) ||
    publicAddressesFirst(a.multiaddr, b.multiaddr) ||
    circuitRelayAddressesLast(a.multiaddr, b.multiaddr) ||
    reliableTransportsFirst(a.multiaddr, b.multiaddr));
}
