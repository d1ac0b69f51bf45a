/**
 * Bounds what one peer's identify message can put in our peer store. A peer may list hundreds of addresses
 * (identify allows ~8 KiB); libp2p would keep them all and a dial would try them one by one, up to 25 with a
 * 6 s timeout each, before giving up on that peer. We keep the first {@link MAX_IDENTIFY_ADDRS} and say so.
 * (Addresses in room state are capped separately, by shared/peer-addrs.ts.)
 */
import type { IdentifyResult } from "@libp2p/interface";
import type { Log } from "../log.ts";
import type { RoomsNode } from "./node.ts";

/** Most addresses kept from one peer's identify message. */
export const MAX_IDENTIFY_ADDRS = 32;

/** Trim oversized address lists as peers identify; returns the function that stops it. */
export function guardIdentifyAddrs(node: RoomsNode, log: Log): () => void {
  const onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
    const { peerId, listenAddrs } = evt.detail;
    if (listenAddrs.length <= MAX_IDENTIFY_ADDRS) return;
    log.warn("peer advertises too many addresses; keeping the first ones", { peer: peerId.toString(), advertised: listenAddrs.length, kept: MAX_IDENTIFY_ADDRS });
    void node.peerStore.patch(peerId, { multiaddrs: listenAddrs.slice(0, MAX_IDENTIFY_ADDRS) }).catch(() => undefined);
  };
  node.addEventListener("peer:identify", onIdentify);
  return () => node.removeEventListener("peer:identify", onIdentify);
}
