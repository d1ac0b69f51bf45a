/**
 * Direct-path upgrade, the way iroh does it: peers meet through a relay, then try a direct path, keep the
 * relay when none works, and move to the direct path without the call breaking.
 *
 * - Try: for every relayed connection, dial the peer's `<relay circuit>/webrtc` address. @libp2p/webrtc
 *   signals SDP and ICE candidates over the relayed connection, then hole-punches UDP (host and STUN-mapped
 *   candidates). DCUtR (TCP simultaneous open) runs on its own as a libp2p service; a direct connection it
 *   makes is handled below like any other. The peer with the smaller id tries at once, the other only if
 *   nothing direct appeared after a while, so both rarely punch at once. A failed try is retried with
 *   backoff while the relayed connection lasts.
 * - Move: once a direct connection to a peer exists, new streams already prefer it (libp2p's
 *   `findExistingConnection` sorts direct first), but streams opened earlier (gossipsub's, the MoQ session)
 *   stay on the relayed connection. We close the relayed connection: the MoQ session on it ends and the room
 *   resubscribes over the direct one, and gossipsub is re-attached (below). The peer never disconnects, so
 *   the room sees no PeerLeft.
 * - Re-attach gossip: gossipsub keeps one outbound stream per peer and opens it only when the registrar
 *   tells it about a connection (after identify). When the connection carrying that stream closes while
 *   another stays open, nothing tells it again, and the peer would stay silent. So after any such close we
 *   run identify on the remaining connection, which makes the registrar notify gossipsub again
 *   (the same thing gossipsub's own `connect()` does for its direct peers).
 */
import type { Connection, PeerId } from "@libp2p/interface";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import type { Log } from "../log.ts";
import { sleep } from "../util/abort.ts";
import type { RoomsNode } from "./node.ts";

/** How long the larger peer id waits for the smaller one's attempt before trying itself. */
const DEFER_MS = 3_000;
/** One hole-punch attempt (ICE gathering with STUN, checks, DTLS, SCTP). */
const ATTEMPT_TIMEOUT_MS = 15_000;
/** Waits before trying again while the peer is still only relayed. */
const RETRY_MS = [10_000, 30_000, 60_000, 120_000];
/** A new direct connection must open a stream within this long before we move onto it. */
const VERIFY_TIMEOUT_MS = 3_000;
/** Any protocol both ends serve will do to prove streams work; ping's is always there. */
const PING_PROTOCOL = "/ipfs/ping/1.0.0";
/** Checks after a connection closed that gossipsub has an outbound stream on the remaining one. */
const REATTACH_CHECKS_MS = [100, 1_000, 3_000];

/** Facts the upgrader reports, for benchmarks and tests. */
export interface UpgradeTimings {
  /** When the first relayed connection to the peer opened (performance.now()). */
  relayedAt: number;
  /** When a direct connection first opened while the relayed one existed. */
  directAt?: number;
}

/** Upgrades relayed connections to direct ones and moves traffic over. */
export class DirectPathUpgrader {
  readonly #node: RoomsNode;
  readonly #log: Log;
  readonly #stop = new AbortController();
  /** Peers with an upgrade loop running. */
  readonly #trying = new Set<string>();
  readonly #timings = new Map<string, UpgradeTimings>();

  private constructor(node: RoomsNode, log: Log) {
    this.#node = node;
    this.#log = log;
  }

  /** Start watching `node`'s connections. */
  static start(node: RoomsNode, log: Log): DirectPathUpgrader {
    const u = new DirectPathUpgrader(node, log);
    node.addEventListener("connection:open", u.#onOpen);
    node.addEventListener("connection:close", u.#onClose);
    return u;
  }

  /** Stop trying and stop listening. */
  stop(): void {
    this.#stop.abort();
    this.#node.removeEventListener("connection:open", this.#onOpen);
    this.#node.removeEventListener("connection:close", this.#onClose);
  }

  /** When each peer was first relayed and upgraded (ms on performance.now()). */
  timings(peer: string): UpgradeTimings | undefined {
    return this.#timings.get(peer);
  }

  #open(peer: PeerId): Connection[] {
    return this.#node.getConnections(peer).filter((c) => c.status === "open");
  }

  #onOpen = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail;
    const id = conn.remotePeer.toString();
    if (!conn.direct) {
      if (!this.#timings.has(id)) this.#timings.set(id, { relayedAt: performance.now() });
      void this.#tryLoop(conn);
      return;
    }
    const relayed = this.#open(conn.remotePeer).filter((c) => !c.direct && c.id !== conn.id);
    if (relayed.length === 0) return;
    const t = this.#timings.get(id);
    if (t !== undefined && t.directAt === undefined) t.directAt = performance.now();
    void this.#retire(conn, relayed);
  };

  #onClose = (evt: CustomEvent<Connection>): void => {
    const peer = evt.detail.remotePeer;
    if (this.#open(peer).length === 0) return;
    void this.#reattachGossip(peer);
  };

  /**
   * Close the relayed connections once the direct one answers a ping; the closes re-attach gossip (#onClose).
   * A direct connection that does not answer is closed instead: the answering side of a WebRTC dial can
   * report its connection up while ICE never completed (the dialer gave up), and moving onto it would cut
   * the peer off.
   */
  async #retire(direct: Connection, relayed: Connection[]): Promise<void> {
    const id = direct.remotePeer.toString();
    try {
      const stream = await direct.newStream(PING_PROTOCOL, { signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS) });
      stream.abort(new Error("probe done"));
    } catch (err) {
      this.#log.info("direct connection does not carry streams; staying on the relay", { peer: id, error: (err as Error).message });
      direct.abort(err as Error);
      return;
    }
    this.#log.info("direct path established; moving off the relay", {
      peer: id,
      transport: direct.multiplexer ?? "unknown",
      remoteAddr: direct.remoteAddr.toString(),
      ...(this.#timings.get(id) !== undefined && { afterRelayedMs: Math.round(performance.now() - this.#timings.get(id)!.relayedAt) }),
    });
    for (const c of relayed) {
      if (direct.status !== "open") return;
      try {
        await c.close({ signal: AbortSignal.timeout(2_000) });
      } catch (err) {
        c.abort(err as Error);
      }
    }
  }

  /** Make sure gossipsub has a stream to `peer` on a connection that is still open. */
  async #reattachGossip(peer: PeerId): Promise<void> {
    const id = peer.toString();
    for (const wait of REATTACH_CHECKS_MS) {
      await sleep(wait, this.#stop.signal);
      if (this.#stop.signal.aborted) return;
      const conns = this.#open(peer);
      const best = conns.find((c) => c.direct) ?? conns[0];
      if (best === undefined) return;
      if (hasGossipStream(this.#node, id)) continue;
      this.#log.debug("re-attaching gossip to the remaining connection", { peer: id, direct: best.direct });
      try {
        await this.#node.services.identify.identify(best, { signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(5_000)]) });
      } catch (err) {
        this.#log.debug("identify for gossip re-attach failed", { peer: id, error: (err as Error).message });
      }
    }
  }

  /** Try direct paths to the peer behind `relayed` until one works, the relayed connection ends, or we stop. */
  async #tryLoop(relayed: Connection): Promise<void> {
    const peer = relayed.remotePeer;
    const id = peer.toString();
    if (this.#trying.has(id)) return;
    const target = webrtcAddrOf(relayed.remoteAddr, peer);
    if (target === undefined) return;
    this.#trying.add(id);
    const signal = this.#stop.signal;
    const hasDirect = (): boolean => this.#open(peer).some((c) => c.direct);
    try {
      if (this.#node.peerId.toString() > id) await sleep(DEFER_MS, signal);
      for (let attempt = 0; !signal.aborted && relayed.status === "open" && !hasDirect(); attempt++) {
        const started = performance.now();
        try {
          const conn = await this.#node.dial(target, { signal: AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]) });
          if (conn.direct) {
            this.#log.debug("hole punch succeeded", { peer: id, ms: Math.round(performance.now() - started) });
            return;
          }
        } catch (err) {
          if (signal.aborted || hasDirect()) return;
          const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
          this.#log.info("no direct path; staying on the relay", { peer: id, attempt, error: (err as Error).message, retryInMs: wait });
          await sleep(wait, signal);
        }
      }
    } finally {
      this.#trying.delete(id);
    }
  }
}

/**
 * The WebRTC address to reach `peer` through the relay a relayed connection runs over:
 * `<relay addr>/p2p/<relay>/p2p-circuit/webrtc/p2p/<peer>`; undefined when the address is not a circuit.
 */
export function webrtcAddrOf(relayedAddr: Multiaddr, peer: PeerId): Multiaddr | undefined {
  const s = relayedAddr.toString();
  const i = s.indexOf("/p2p-circuit");
  if (i < 0) return undefined;
  return multiaddr(`${s.slice(0, i)}/p2p-circuit/webrtc/p2p/${peer.toString()}`);
}

/** Whether gossipsub holds an outbound stream to `peer` (reads a field its class exposes; true if that changes). */
function hasGossipStream(node: RoomsNode, peer: string): boolean {
  const streams = (node.services.pubsub as unknown as { streamsOutbound?: Map<string, unknown> }).streamsOutbound;
  return streams === undefined ? true : streams.has(peer);
}
