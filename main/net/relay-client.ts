/**
 * Keeps this peer reachable through its configured relays: stays connected to each relay (redialing with
 * backoff after a drop, e.g. a network change or a relay restart), and reports whether the relay granted a
 * reservation. The reservation itself is made by libp2p's circuit relay client for every `/p2p-circuit`
 * listen address (main/net/node.ts) once a connection to a relay exists, and re-made after it drops.
 */
import type { PeerId } from "@libp2p/interface";
import { multiaddr, type Multiaddr } from "@multiformats/multiaddr";
import { peerIdFromString } from "@libp2p/peer-id";
import type { Log } from "../log.ts";
import type { RoomsNode } from "./node.ts";
import { sleep } from "../util/abort.ts";

const P2P_CODE = 421;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000];
const DIAL_TIMEOUT_MS = 5_000;
/** A connected relay that shows no reservation after this long is reported as refusing. */
const RESERVATION_WAIT_MS = 5_000;
/** Keeps relay connections out of the connection pruner (libp2p's KEEP_ALIVE would also race our redial). */
const RELAY_TAG = "liverooms-relay";

/** Where one relay stands. */
export type RelayState = "connecting" | "reserved" | "no-reservation" | "unreachable";

/** Thrown for a `--relay` address we cannot use; the message is shown to the user. */
export class RelayAddressError extends Error {
  override name = "RelayAddressError";
  readonly code = "bad-relay-address";
}

/** Parse a relay address; it must name the relay's peer id (`…/p2p/<id>`) so circuits can be built on it. */
export function parseRelayAddr(addr: string): { addr: Multiaddr; peer: PeerId } {
  let ma: Multiaddr;
  try {
    ma = multiaddr(addr);
  } catch (err) {
    throw new RelayAddressError(`${JSON.stringify(addr)} is not a multiaddr: ${(err as Error).message}`);
  }
  const last = ma.getComponents().at(-1);
  if (last?.code !== P2P_CODE || last.value === undefined) throw new RelayAddressError(`relay address ${addr} must end with /p2p/<relay peer id>`);
  return { addr: ma, peer: peerIdFromString(last.value) };
}

/** True when `addr` is a circuit address through `relay`. */
export function isCircuitVia(addr: Multiaddr, relay: PeerId): boolean {
  const s = addr.toString();
  return s.includes(`/p2p/${relay.toString()}/p2p-circuit`);
}

interface RelayEntry {
  addr: Multiaddr;
  peer: PeerId;
  state: RelayState;
}

/** Stays connected to relays and logs reservation changes. */
export class RelayKeeper {
  readonly #node: RoomsNode;
  readonly #log: Log;
  readonly #relays: RelayEntry[];
  readonly #stop = new AbortController();
  readonly #waiters = new Set<() => void>();

  private constructor(node: RoomsNode, relays: readonly string[], log: Log) {
    this.#node = node;
    this.#log = log;
    this.#relays = relays.map((r): RelayEntry => ({ ...parseRelayAddr(r), state: "connecting" }));
  }

  /** Start keeping `relays` (multiaddrs ending in /p2p/<id>); returns at once, connections happen in the background. */
  static start(node: RoomsNode, relays: readonly string[], log: Log): RelayKeeper {
    const k = new RelayKeeper(node, relays, log);
    node.addEventListener("peer:disconnect", k.#onChange);
    node.addEventListener("self:peer:update", k.#onChange);
    for (const r of k.#relays) void k.#keep(r);
    return k;
  }

  /** Resolve once every relay is reserved or has failed once, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.#relays.some((r) => r.state === "connecting")) await sleep(50, this.#stop.signal);
  }

  /** Each relay's state, by relay peer id. */
  states(): Record<string, RelayState> {
    return Object.fromEntries(this.#relays.map((r) => [r.peer.toString(), r.state]));
  }

  /** Stop redialing. */
  stop(): void {
    this.#stop.abort();
    this.#node.removeEventListener("peer:disconnect", this.#onChange);
    this.#node.removeEventListener("self:peer:update", this.#onChange);
  }

  #onChange = (): void => {
    for (const r of this.#relays) this.#checkReservation(r);
    for (const w of [...this.#waiters]) w();
  };

  #connected(peer: PeerId): boolean {
    return this.#node.getConnections(peer).some((c) => c.status === "open");
  }

  #reservedAddrs(peer: PeerId): string[] {
    return this.#node.getMultiaddrs().filter((a) => isCircuitVia(a, peer)).map(String);
  }

  #set(r: RelayEntry, state: RelayState, fields: Record<string, unknown> = {}): void {
    if (r.state === state) return;
    r.state = state;
    const info = { relay: r.peer.toString(), ...fields };
    if (state === "reserved") this.#log.info("relay reservation active: reachable through this relay", info);
    else if (state === "no-reservation") this.#log.warn("relay connected but gave no reservation (refused, full, or not a relay); not reachable through it", info);
    else if (state === "unreachable") this.#log.warn("relay unreachable; retrying with backoff", info);
    else this.#log.info("relay connection lost; reconnecting", info);
  }

  #checkReservation(r: RelayEntry): void {
    const addrs = this.#reservedAddrs(r.peer);
    if (addrs.length > 0) this.#set(r, "reserved", { addrs });
    else if (r.state === "reserved") this.#set(r, "connecting");
  }

  async #keep(r: RelayEntry): Promise<void> {
    const signal = this.#stop.signal;
    await this.#node.peerStore.merge(r.peer, { multiaddrs: [r.addr], tags: { [RELAY_TAG]: { value: 100 } } }).catch(() => undefined);
    let failures = 0;
    while (!signal.aborted) {
      if (!this.#connected(r.peer)) {
        try {
          await this.#node.dial(r.addr, { signal: AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]) });
          failures = 0;
          void this.#awaitReservation(r);
        } catch (err) {
          if (signal.aborted) return;
          this.#set(r, "unreachable", { addr: r.addr.toString(), error: (err as Error).message });
          await sleep(BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]!, signal);
          continue;
        }
      }
      // Connected: sleep until something changes (a disconnect wakes us), with a slow poll as a safety net.
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#waiters.delete(done);
          resolve();
        };
        this.#waiters.add(done);
        void sleep(5_000, signal).then(done);
      });
    }
  }

  async #awaitReservation(r: RelayEntry): Promise<void> {
    const deadline = Date.now() + RESERVATION_WAIT_MS;
    while (Date.now() < deadline && !this.#stop.signal.aborted) {
      this.#checkReservation(r);
      if (r.state === "reserved") return;
      await sleep(100, this.#stop.signal);
    }
    if (this.#connected(r.peer) && this.#reservedAddrs(r.peer).length === 0) this.#set(r, "no-reservation");
  }
}
