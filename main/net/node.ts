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
 */
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@libp2p/noise";
import { yamux } from "@libp2p/yamux";
import { identify, type Identify } from "@libp2p/identify";
import { ping, type Ping } from "@libp2p/ping";
import { gossipsub, type GossipSub } from "@libp2p/gossipsub";
import { circuitRelayTransport } from "@libp2p/circuit-relay-v2";
import { webSockets } from "@libp2p/websockets";
import type { PrivateKey } from "@libp2p/interface";

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
}

/** Default listen address: all interfaces, OS-chosen port. */
export const DEFAULT_LISTEN = ["/ip4/0.0.0.0/tcp/0"];

/** Create and start a node. */
export async function createRoomsNode(init: RoomsNodeInit): Promise<RoomsNode> {
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: [...(init.listen ?? DEFAULT_LISTEN), ...Array.from({ length: init.relayReservations ?? 0 }, () => "/p2p-circuit")] },
    transports: [tcp(), webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      inboundConnectionThreshold: 1000,
      maxIncomingPendingConnections: 100,
      reconnectRetries: 5,
    },
    connectionMonitor: { pingInterval: 2000, pingTimeout: { minTimeout: 1000, maxTimeout: 3000 } },
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
    },
  });
}
