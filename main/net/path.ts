/**
 * The network path to a peer, as the room reports it: "direct" when any open connection is not relayed,
 * "relayed" when the only open connections go through a circuit relay, "none" while disconnected.
 */
import type { PeerId } from "@libp2p/interface";
import type { RoomsNode } from "./node.ts";

/** How we currently reach one peer. */
export type PathKind = "direct" | "relayed" | "none";

/** A peer's path and the connection monitor's last round-trip time on it (ms), when measured. */
export interface PeerPath {
  path: PathKind;
  rttMs: number | undefined;
}

/** The best current path to `peer` (a direct connection wins over a relayed one). */
export function peerPath(node: RoomsNode, peer: PeerId): PeerPath {
  const open = node.getConnections(peer).filter((c) => c.status === "open");
  const best = open.find((c) => c.direct) ?? open[0];
  if (best === undefined) return { path: "none", rttMs: undefined };
  return { path: best.direct ? "direct" : "relayed", rttMs: best.rtt === undefined ? undefined : Math.round(best.rtt * 10) / 10 };
}
