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

/** The way we reach a peer changed (or was first known): a fact for the room's path listeners. */
export interface PathChange {
  remote: string;
  path: Exclude<PathKind, "none">;
  /** One ping over the new path, when it answered within {@link RTT_PROBE_TIMEOUT_MS}. */
  rttMs: number | undefined;
}

const RTT_PROBE_TIMEOUT_MS = 3_000;
/** Connection events come in bursts (a relayed close right after a direct open); look once they settle. */
const SETTLE_MS = 50;

/**
 * Watches how we reach a set of peers and reports each change of path kind, with a round-trip time
 * measured by one ping on the new path. Losing every connection is not reported (the room's presence
 * logic covers that); the path is reported again once the peer is back.
 */
export class PathWatcher {
  readonly #node: RoomsNode;
  readonly #onChange: (c: PathChange) => void;
  readonly #last = new Map<string, PathKind>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();
  #stopped = false;

  private constructor(node: RoomsNode, onChange: (c: PathChange) => void) {
    this.#node = node;
    this.#onChange = onChange;
  }

  /** Start listening to `node`'s connection events. */
  static start(node: RoomsNode, onChange: (c: PathChange) => void): PathWatcher {
    const w = new PathWatcher(node, onChange);
    node.addEventListener("connection:open", w.#onConn);
    node.addEventListener("connection:close", w.#onConn);
    return w;
  }

  /** Report `peer`'s path from now on (at once if connected). */
  watch(peer: PeerId): void {
    const id = peer.toString();
    if (this.#last.has(id)) return;
    this.#last.set(id, "none");
    this.#schedule(peer);
  }

  /** Stop reporting `peer`. */
  unwatch(peer: string): void {
    this.#last.delete(peer);
    clearTimeout(this.#timers.get(peer));
    this.#timers.delete(peer);
  }

  /** Stop everything. */
  stop(): void {
    this.#stopped = true;
    this.#node.removeEventListener("connection:open", this.#onConn);
    this.#node.removeEventListener("connection:close", this.#onConn);
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
  }

  #onConn = (evt: CustomEvent<{ remotePeer: PeerId }>): void => {
    if (this.#last.has(evt.detail.remotePeer.toString())) this.#schedule(evt.detail.remotePeer);
  };

  #schedule(peer: PeerId): void {
    const id = peer.toString();
    clearTimeout(this.#timers.get(id));
    this.#timers.set(id, setTimeout(() => {
      this.#timers.delete(id);
      void this.#check(peer);
    }, SETTLE_MS));
  }

  async #check(peer: PeerId): Promise<void> {
    const id = peer.toString();
    const kind = peerPath(this.#node, peer).path;
    if (this.#stopped || !this.#last.has(id) || this.#last.get(id) === kind) return;
    this.#last.set(id, kind);
    if (kind === "none") return;
    let rttMs: number | undefined;
    try {
      rttMs = Math.round((await this.#node.services.ping.ping(peer, { signal: AbortSignal.timeout(RTT_PROBE_TIMEOUT_MS) })) * 10) / 10;
    } catch {
      rttMs = peerPath(this.#node, peer).rttMs;
    }
    // Report only if nothing changed while we measured (a newer check reports the newer path).
    if (!this.#stopped && this.#last.get(id) === kind && peerPath(this.#node, peer).path === kind) this.#onChange({ remote: id, path: kind, rttMs });
  }
}
