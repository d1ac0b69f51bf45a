/**
 * The relay node `rooms relay` runs: circuit relay v2 (hop) over TCP and WebSocket listeners, for peers that
 * cannot reach each other directly (both behind NATs).
 *
 * Limits suited to calls: libp2p's defaults (128 KiB and 2 min per relayed connection) would cut a call after a
 * second of video, so relayed connections carry no data or duration limit; the reservation cap bounds how
 * many peers one relay serves instead (shared/reference/libp2p-notes.md §6).
 */
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { webSockets } from "@libp2p/websockets";
import { noiseOneWrite } from "./noise-one-write.ts";
import { yamuxHalfWindow } from "./yamux-half-window.ts";
import { identify, type Identify } from "@libp2p/identify";
import { ping, type Ping } from "@libp2p/ping";
import { circuitRelayServer, type CircuitRelayService } from "@libp2p/circuit-relay-v2";
import type { PrivateKey } from "@libp2p/interface";

/** Default relay listeners: TCP and WebSocket on all IPv4 interfaces. */
export const DEFAULT_RELAY_LISTEN = ["/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/tcp/4002/ws"];
/** Default reservation cap: peers one relay holds a slot for at a time. */
export const DEFAULT_MAX_RESERVATIONS = 128;

/** Services of a relay node. */
export type RelayServices = { identify: Identify; ping: Ping; relay: CircuitRelayService };
/** A started relay node. */
export type RelayNode = Libp2p<RelayServices>;

/** Options for {@link createRelayNode}. */
export interface RelayNodeInit {
  privateKey: PrivateKey;
  listen?: string[];
  /** Reservation cap; a full relay refuses new reservations (status RESERVATION_REFUSED). */
  maxReservations?: number;
}

/** Create and start a relay node. */
export async function createRelayNode(init: RelayNodeInit): Promise<RelayNode> {
  return createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen ?? DEFAULT_RELAY_LISTEN },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noiseOneWrite()],
    streamMuxers: [yamuxHalfWindow()],
    connectionManager: {
      // Every peer behind one NAT shares an IP; see main/net/node.ts.
      inboundConnectionThreshold: 1000,
      maxIncomingPendingConnections: 100,
      maxConnections: 1000,
    },
    // Notice a vanished peer within ~40 s so its reservation (and the circuits through it) are freed; not
    // sooner, because a peer busy with a call answers pings late and must not lose its circuits for it.
    connectionMonitor: { pingInterval: 20_000, pingTimeout: { minTimeout: 10_000, maxTimeout: 18_000 } },
    services: {
      identify: identify(),
      ping: ping(),
      relay: circuitRelayServer({
        reservations: { maxReservations: init.maxReservations ?? DEFAULT_MAX_RESERVATIONS, applyDefaultLimit: false },
        // Per peer connection: a reservation plus one hop stream per circuit that peer opens.
        maxInboundHopStreams: 64,
        maxOutboundStopStreams: 1024,
      }),
    },
  });
}
