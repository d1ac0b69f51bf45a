/**
 * Whether this peer can reach its room, for the UI's connection state. Pure bookkeeping: the service
 * feeds it room events and libp2p connection events.
 *
 * - "connecting": joined from a ticket and no room peer has appeared yet.
 * - "reconnecting": there are room peers (present, or lost to a dropped connection recently) and we have a
 *   connection to none of them — most likely our own network went away.
 * - "joined": otherwise, including alone in a room we created.
 */
import type { LeaveReason } from "../room/events.ts";

/** The part of the connection state this tracker decides. */
export type Reachability = "connecting" | "joined" | "reconnecting";

/** Tracks room peers and our connections to them. */
export class Connectivity {
  readonly #present = new Set<string>();
  readonly #lost = new Set<string>();
  readonly #connected = new Set<string>();
  #awaitingFirstPeer: boolean;

  /** `expectPeers`: joined from a ticket that names peers, so being alone means "still connecting". */
  constructor(init: { expectPeers: boolean }) {
    this.#awaitingFirstPeer = init.expectPeers;
  }

  /** A room peer appeared (or came back). */
  peerJoined(id: string): void {
    this.#present.add(id);
    this.#lost.delete(id);
    this.#awaitingFirstPeer = false;
  }

  /** A room peer is gone; one lost to a dropped connection still counts until {@link forgetLost}. */
  peerLeft(id: string, reason: LeaveReason): void {
    this.#present.delete(id);
    if (reason === "connection-lost") this.#lost.add(id);
    else this.#lost.delete(id);
  }

  /** Stop waiting for a peer lost to a dropped connection. */
  forgetLost(id: string): void {
    this.#lost.delete(id);
  }

  /** We have at least one connection to `id`. */
  connected(id: string): void {
    this.#connected.add(id);
  }

  /** We have no connection to `id` any more. */
  disconnected(id: string): void {
    this.#connected.delete(id);
  }

  /** The state these facts imply. */
  get state(): Reachability {
    const roomPeers = [...this.#present, ...this.#lost];
    if (roomPeers.length > 0 && !roomPeers.some((id) => this.#connected.has(id))) return "reconnecting";
    if (this.#awaitingFirstPeer) return "connecting";
    return "joined";
  }
}
