/**
 * Dials a room peer as soon as a discovery mechanism (mDNS) finds it. libp2p's `peer:discovery` only fills
 * the peer store; the room's dialer would otherwise pick the addresses up at its next retry (up to 2 s later).
 * "Room peer" = tagged keep-alive, which the room's dialer does for every peer it wants (main/room/dialer.ts).
 */
import { KEEP_ALIVE, type PeerInfo } from "@libp2p/interface";
import type { Log } from "../log.ts";
import type { RoomsNode } from "./node.ts";

/** Start dialing wanted peers on discovery; returns the function that stops it. */
export function dialOnDiscovery(node: RoomsNode, log: Log): () => void {
  const onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    const { id } = evt.detail;
    if (node.getConnections(id).length > 0) return;
    void (async () => {
      const peer = await node.peerStore.get(id).catch(() => undefined);
      if (peer?.tags.has(KEEP_ALIVE) !== true) return;
      log.info("room peer discovered on the local network; dialing", { peer: id.toString() });
      await node.dial(id, { signal: AbortSignal.timeout(5_000) }).catch((err: unknown) => log.debug("dial after discovery failed", { peer: id.toString(), error: String(err) }));
    })();
  };
  node.addEventListener("peer:discovery", onDiscovery);
  return () => node.removeEventListener("peer:discovery", onDiscovery);
}
