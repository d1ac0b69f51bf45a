/**
 * Keeps direct connections to every room peer, so the room is a full mesh and survives any one peer
 * (including the bootstrap peer) leaving. Gossipsub alone would run the room as a star through the
 * ticket's peer (shared/reference/libp2p-notes.md §2).
 *
 * Tie-break against duplicate connections: the peer with the smaller id dials at once; the other waits a
 * moment and dials only if no connection appeared (covers one-way reachability).
 *
 * Reconnection: when the connection to a room peer drops, the dial loop starts again and tries every address
 * the peer advertised (direct ones and relay circuits) with a short backoff, so a call resumes within about
 * two seconds of the network coming back.
 */
import { KEEP_ALIVE, type PeerId } from "@libp2p/interface";
import { multiaddr } from "@multiformats/multiaddr";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Log } from "../log.ts";
import type { RoomsNode } from "../net/node.ts";
import { sleep } from "../util/abort.ts";

// Long enough for the smaller peer's dial to land on a LAN, short enough not to delay joins noticeably.
const DEFER_MS = 300;
// At most 2 s between attempts for the first ~20 s (a link cut, a relay restart), then slower.
const RETRY_MS = [250, 500, 1_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 4_000, 8_000];

/** Dials room peers with backoff while they are wanted. */
export class RoomDialer {
  readonly #node: RoomsNode;
  readonly #log: Log;
  readonly #wanted = new Map<string, AbortController>();
  /** Room peers we keep a connection to (between {@link want} and {@link forget}). */
  readonly #members = new Set<string>();

  constructor(node: RoomsNode, log: Log) {
    this.#node = node;
    this.#log = log;
  }

  /** Make sure we are (or will be) connected to `id` at `addrs`; keeps retrying with backoff until {@link forget}. */
  async want(id: string, addrs: readonly string[], opts: { defer?: boolean } = {}): Promise<void> {
    const peer = peerIdFromString(id);
    if (peer.equals(this.#node.peerId)) return;
    const mas = addrs.flatMap((a) => {
      try {
        return [multiaddr(a)];
      } catch {
        return [];
      }
    });
    // Keep-alive makes libp2p redial the peer by itself after a drop (network blip, laptop sleep).
    await this.#node.peerStore.merge(peer, { multiaddrs: mas, tags: { [KEEP_ALIVE]: { value: 1 } } }).catch(() => undefined);
    this.#members.add(id);
    this.#start(peer, opts.defer ?? this.#node.peerId.toString() > id);
  }

  /** The connection to `id` dropped: dial it again (every known address, with backoff) if it is a room peer. */
  reconnect(id: string): void {
    if (!this.#members.has(id)) return;
    const peer = peerIdFromString(id);
    this.#start(peer, this.#node.peerId.toString() > id);
  }

  #start(peer: PeerId, defer: boolean): void {
    const id = peer.toString();
    if (this.#wanted.has(id)) return;
    const ctl = new AbortController();
    this.#wanted.set(id, ctl);
    void this.#run(peer, defer, ctl.signal);
  }

  /** Stop dialing `id` and drop its keep-alive tag (it left the room). */
  async forget(id: string): Promise<void> {
    this.#wanted.get(id)?.abort();
    this.#wanted.delete(id);
    this.#members.delete(id);
    try {
      await this.#node.peerStore.merge(peerIdFromString(id), { tags: { [KEEP_ALIVE]: undefined } });
    } catch {
      // peer unknown or node stopping
    }
  }

  /** Stop everything. */
  stop(): void {
    for (const ctl of this.#wanted.values()) ctl.abort();
    this.#wanted.clear();
    this.#members.clear();
  }

  async #run(peer: PeerId, defer: boolean, signal: AbortSignal): Promise<void> {
    const connected = (): boolean => this.#node.getConnections(peer).length > 0;
    if (defer) await sleep(DEFER_MS, signal);
    for (let attempt = 0; !signal.aborted && !connected(); attempt++) {
      try {
        await this.#node.dial(peer, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
      } catch (err) {
        if (signal.aborted) return;
        // The first failure is worth a line: an unreachable ticket address or a dead relay shows up here.
        const fields = { peer: peer.toString(), attempt, error: (err as Error).message };
        if (attempt === 0) this.#log.info("dial failed; retrying with backoff", fields);
        else this.#log.debug("dial failed; retrying with backoff", fields);
        await sleep(RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 8_000, signal);
      }
    }
    // Connected (or forgotten): a later drop restarts this loop through `reconnect`.
    if (this.#wanted.get(peer.toString())?.signal === signal) this.#wanted.delete(peer.toString());
  }
}
