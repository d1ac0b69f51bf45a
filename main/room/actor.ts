/**
 * The room actor: turns replicated room state and connection events into room events, and this peer's
 * intentions (publish, display name, leave) into room state. Room logic only: transport and state
 * replication live in main/net and main/state.
 */
import type { Connection, PeerId, PrivateKey, StreamCloseEvent } from "@libp2p/interface";
import { peerIdFromPublicKey, peerIdFromString } from "@libp2p/peer-id";
import { publicKeyFromRaw } from "@libp2p/crypto/keys";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import type { WireEntry } from "../../shared/codec/signed-value.ts";
import { asPeerIdStr, type PeerIdStr } from "../../shared/ids.ts";
import { decodePeerAddrs, encodePeerAddrs, PEER_ADDRS_KEY } from "../../shared/peer-addrs.ts";
import { decodePeerState, encodePeerState, PEER_STATE_KEY, type PeerState } from "../../shared/peer-state.ts";
import { RoomTicket, type BootstrapPeer } from "../../shared/ticket.ts";
import type { Log } from "../log.ts";
import type { RoomsNode } from "../net/node.ts";
import { PathWatcher, peerPath, type PeerPath } from "../net/path.ts";
import { rankAddrs, ticketAddrs } from "../net/addrs.ts";
import { GossipKv } from "../state/gossip-kv.ts";
import { RoomDialer } from "./dialer.ts";
import { EventQueue } from "./event-queue.ts";
import type { PeerPathChanged, RoomEvent } from "./events.ts";
import { evaluatePresence, newPeerRecord, type PeerRecord } from "./peers.ts";
import type { RoomMedia } from "./media-port.ts";
import { Subscriptions } from "./subscriptions.ts";
import type { ChatPublisher } from "../media/chat.ts";
import type * as Moq from "@moq/net";

/** What the actor needs from the rest of the process. */
export interface RoomComponents {
  node: RoomsNode;
  privateKey: PrivateKey;
  log: Log;
  /** The media transport; without it the room carries presence and broadcast names only. */
  media?: RoomMedia;
}

/** How to join. */
export interface RoomInit {
  ticket: RoomTicket;
  displayName?: string;
  /** How long a peer may stay disconnected after it closed or reset its direct connection (a crash, a quit). */
  graceMs?: number;
  /** How long a peer may stay disconnected after a link loss: our ping timed out, or a relayed connection dropped. */
  linkLossGraceMs?: number;
  horizonMs?: number;
  refreshMs?: number;
}

/** Lifecycle of a room, as a union. */
export type RoomStatus = "joining" | "joined" | "leaving" | "left";

/** A broadcast to publish: its MoQ producer (offered to peers), and when it ends (then it leaves our state). */
export interface PublishedBroadcast {
  readonly closed: PromiseLike<unknown>;
  readonly producer?: Moq.Broadcast.Producer;
}

/** Commands from room handles (the seed's ApiMessage). */
export type ApiMessage =
  | { kind: "Publish"; name: string; broadcast: PublishedBroadcast | undefined }
  | { kind: "Unpublish"; name: string }
  | { kind: "SetDisplayName"; name: string | undefined }
  | { kind: "SetChatPublisher"; publisher: ChatPublisher }
  | { kind: "SendChat"; text: string; done: (r: { seq: number; sentAt: number }) => void }
  | { kind: "Leave" };

/** Default grace period after the peer's end closed a direct connection: short enough to report a crash within ~3 s. */
export const DEFAULT_GRACE_MS = 2_000;
/**
 * Default grace period after a link loss (cut cable, Wi-Fi handover, sleep, relay restart). A killed peer resets
 * its direct connections at once, so the short grace applies; a lost link is only noticed by a ping timeout
 * (2–5 s), and the peer comes back on its own once the link does. Through a relay both look alike (the relay
 * closes the circuit), so relayed peers get this longer grace too.
 */
export const DEFAULT_LINK_LOSS_GRACE_MS = 15_000;
/** Other live peers a shared ticket names besides ourselves. */
const TICKET_EXTRA_PEERS = 2;
const dec = new TextDecoder();

/** Build the actor for one room: `createRoomActor(init)(components)`. */
export function createRoomActor(init: RoomInit): (components: RoomComponents) => RoomActor {
  return (components) => new RoomActor(init, components);
}

/** One room, from this peer's point of view. */
export class RoomActor {
  readonly events = new EventQueue<RoomEvent>();
  readonly me: PeerIdStr;
  status: RoomStatus = "joining";
  readonly #init: RoomInit;
  readonly #c: RoomComponents;
  readonly #peers = new Map<string, PeerRecord>();
  readonly #publish = new Map<string, PublishedBroadcast | undefined>();
  readonly #dialer: RoomDialer;
  /** Per peer: whether its last closed connection ended by link loss rather than by the peer's end closing it. */
  readonly #linkLost = new Map<string, boolean>();
  readonly #subs: Subscriptions | undefined;
  #chat: ChatPublisher | undefined;
  #displayName: string | undefined;
  #kv: GossipKv | undefined;
  #inbox: Promise<void> = Promise.resolve();
  #paths: PathWatcher | undefined;
  readonly #pathListeners = new Set<(ev: PeerPathChanged) => void>();

  constructor(init: RoomInit, components: RoomComponents) {
    this.#init = init;
    this.#c = components;
    this.me = asPeerIdStr(components.node.peerId.toString());
    this.#displayName = init.displayName;
    this.#dialer = new RoomDialer(components.node, components.log);
    this.#subs = components.media === undefined ? undefined : new Subscriptions(components.media, (ev) => this.events.push(ev), components.log);
  }

  /** Join: start replicating state, write ours, dial the ticket's peers. */
  async start(): Promise<void> {
    const { node, privateKey, log } = this.#c;
    node.addEventListener("peer:connect", this.#onConnect);
    node.addEventListener("peer:disconnect", this.#onDisconnect);
    node.addEventListener("self:peer:update", this.#onSelfUpdate);
    node.addEventListener("connection:open", this.#onConnectionOpen);
    for (const conn of node.getConnections()) this.#watchClose(conn);
    this.#paths = PathWatcher.start(node, (c) => {
      const ev: PeerPathChanged = { type: "PeerPathChanged", remote: asPeerIdStr(c.remote), path: c.path, rttMs: c.rttMs };
      if (this.#peers.get(c.remote)?.present === true) for (const l of [...this.#pathListeners]) l(ev);
    });
    this.#kv = await GossipKv.start({
      node,
      topic: this.#init.ticket.topic,
      privateKey,
      log,
      onEntry: (e) => this.#onEntry(e),
      onExpired: (es) => es.forEach((e) => this.#onExpired(e)),
      ...(this.#init.horizonMs !== undefined && { horizonMs: this.#init.horizonMs }),
      ...(this.#init.refreshMs !== undefined && { refreshMs: this.#init.refreshMs }),
    });
    await this.#writeAddrs();
    await this.#writeState();
    for (const b of this.#init.ticket.bootstrap) void this.#dialer.want(b.peerId, b.addrs, { defer: false });
    this.status = "joined";
  }

  /** Queue a command; commands run one at a time, in order. */
  send(msg: ApiMessage): Promise<void> {
    const run = this.#inbox.then(() => this.#handle(msg));
    this.#inbox = run.catch(() => undefined);
    return run;
  }

  /** A ticket naming this peer and up to two other present peers, with their addresses. */
  ticket(): RoomTicket {
    const self: BootstrapPeer = { peerId: this.me, addrs: ticketAddrs(this.#ownAddrs()) };
    const others = [...this.#peers.values()]
      .filter((p) => p.present && ticketAddrs(p.addrs).length > 0)
      .slice(0, TICKET_EXTRA_PEERS)
      .map((p) => ({ peerId: p.id, addrs: ticketAddrs(p.addrs) }));
    return this.#init.ticket.withBootstrap([self, ...others]);
  }

  /** Ids of the peers currently present. */
  presentPeers(): PeerIdStr[] {
    return [...this.#peers.values()].filter((p) => p.present).map((p) => p.id);
  }

  /** How we reach each present peer (direct or relayed, and the last round-trip time). */
  paths(): Map<PeerIdStr, PeerPath> {
    const out = new Map<PeerIdStr, PeerPath>();
    for (const p of this.#peers.values()) if (p.present) out.set(p.id, peerPath(this.#c.node, peerIdFromString(p.id)));
    return out;
  }

  /** Call `listener` with every {@link PeerPathChanged} of a present peer; returns the function that unregisters it. */
  onPathChanged(listener: (ev: PeerPathChanged) => void): () => void {
    this.#pathListeners.add(listener);
    return () => this.#pathListeners.delete(listener);
  }

  /** Counters of refused state entries. */
  rejections(): ReturnType<GossipKv["rejections"]> | undefined {
    return this.#kv?.rejections();
  }

  async #handle(msg: ApiMessage): Promise<void> {
    if (this.status === "leaving" || this.status === "left") throw new RoomClosedError();
    switch (msg.kind) {
      case "Publish": {
        const names = this.#publish.has(msg.name) ? [...this.#publish.keys()] : [...this.#publish.keys(), msg.name];
        checkState({ broadcasts: names, ...(this.#displayName !== undefined && { displayName: this.#displayName }) });
        const previous = this.#publish.get(msg.name);
        if (previous?.producer !== undefined && previous.producer !== msg.broadcast?.producer) this.#c.media?.unpublish(msg.name);
        this.#publish.set(msg.name, msg.broadcast);
        const b = msg.broadcast;
        if (b?.producer !== undefined) this.#c.media?.publish(msg.name, b.producer);
        // A broadcast that ends by itself is taken out of our state, like iroh-live's publish_closed branch.
        if (b !== undefined) void Promise.resolve(b.closed).then(() => {
          if (this.#publish.get(msg.name) === b) void this.send({ kind: "Unpublish", name: msg.name }).catch(() => undefined);
        });
        return this.#writeState();
      }
      case "Unpublish": {
        const b = this.#publish.get(msg.name);
        if (!this.#publish.delete(msg.name)) return;
        if (b?.producer !== undefined) this.#c.media?.unpublish(msg.name);
        return this.#writeState();
      }
      case "SetChatPublisher":
        this.#chat = msg.publisher;
        return;
      case "SendChat": {
        if (this.#chat === undefined) throw new ChatNotEnabledError();
        msg.done(this.#chat.send(msg.text));
        return;
      }
      case "SetDisplayName":
        checkState({ broadcasts: [...this.#publish.keys()], ...(msg.name !== undefined && { displayName: msg.name }) });
        this.#displayName = msg.name;
        return this.#writeState();
      case "Leave":
        return this.#leave();
      default: {
        const never: never = msg;
        throw new Error(`unknown api message ${JSON.stringify(never)}`);
      }
    }
  }

  async #leave(): Promise<void> {
    this.status = "leaving";
    // A tombstone tells everyone at once; without it they would wait for the grace period.
    await this.#kv?.put(PEER_STATE_KEY, new Uint8Array(0));
    await this.#stop();
  }

  /** Stop without a tombstone (the process is going away, or the caller already wrote one). */
  async #stop(): Promise<void> {
    const { node } = this.#c;
    node.removeEventListener("peer:connect", this.#onConnect);
    node.removeEventListener("peer:disconnect", this.#onDisconnect);
    node.removeEventListener("self:peer:update", this.#onSelfUpdate);
    node.removeEventListener("connection:open", this.#onConnectionOpen);
    for (const rec of this.#peers.values()) clearTimeout(rec.lostTimer);
    this.#subs?.close();
    this.#paths?.stop();
    this.#pathListeners.clear();
    for (const [name, b] of this.#publish) if (b?.producer !== undefined) this.#c.media?.unpublish(name);
    this.#dialer.stop();
    await this.#kv?.stop();
    this.status = "left";
    this.events.close();
  }

  #state(): PeerState {
    return { broadcasts: [...this.#publish.keys()], ...(this.#displayName !== undefined && { displayName: this.#displayName }) };
  }

  async #writeState(): Promise<void> {
    await this.#kv?.put(PEER_STATE_KEY, encodePeerState(this.#state()));
  }

  #ownAddrs(): string[] {
    const own = `/p2p/${this.me}`;
    const seen = new Set<string>();
    for (const ma of this.#c.node.getMultiaddrs()) {
      const s = ma.toString();
      seen.add(s.endsWith(own) ? s.slice(0, -own.length) : s);
    }
    // Tickets and state keep only the first few addresses: the ones most likely to work go first.
    return rankAddrs([...seen]);
  }

  async #writeAddrs(): Promise<void> {
    await this.#kv?.put(PEER_ADDRS_KEY, encodePeerAddrs(this.#ownAddrs()));
  }

  #record(peer: PeerId): PeerRecord {
    const id = asPeerIdStr(peer.toString());
    let rec = this.#peers.get(id);
    if (rec === undefined) {
      rec = newPeerRecord(id);
      rec.connected = this.#c.node.getConnections(peer).length > 0;
      this.#peers.set(id, rec);
    }
    return rec;
  }

  #emit(rec: PeerRecord, before: PeerState | undefined): void {
    const wasPresent = rec.present;
    for (const ev of evaluatePresence(rec, before)) {
      // Media follows presence: a peer's broadcasts end before its PeerLeft, and are subscribed after it is announced.
      if (ev.type === "PeerLeft") this.#subs?.peerGone(ev.remote);
      this.events.push(ev);
      if (ev.type === "RemoteAnnounced") this.#subs?.announce(ev.remote, ev.broadcasts);
    }
    if (!wasPresent && rec.present) {
      void this.#dialer.want(rec.id, rec.addrs);
      this.#paths?.watch(peerIdFromString(rec.id));
    }
    if (wasPresent && !rec.present) {
      void this.#dialer.forget(rec.id);
      this.#paths?.unwatch(rec.id);
    }
  }

  #onEntry(entry: WireEntry): void {
    if (this.status === "left") return;
    let peer: PeerId;
    try {
      peer = peerIdFromPublicKey(publicKeyFromRaw(entry.scope));
    } catch {
      return; // the store verified a signature under this key, so this cannot happen; be safe anyway
    }
    const rec = this.#record(peer);
    const id = rec.id;
    const key = dec.decode(entry.key);
    const value = entry.signed.value;
    try {
      if (key === PEER_STATE_KEY) {
        const before = rec.state;
        if (value.length === 0) {
          rec.state = undefined;
          rec.stateGone = "left";
        } else {
          rec.state = decodePeerState(value);
          rec.stateGone = undefined;
        }
        this.#emit(rec, before);
      } else if (key === PEER_ADDRS_KEY) {
        rec.addrs = decodePeerAddrs(value);
        if (rec.present && !rec.connected) void this.#dialer.want(rec.id, rec.addrs);
      }
    } catch (err) {
      if (!(err instanceof ProtocolViolation)) throw err;
      this.#c.log.warn("ignored undecodable state value", { peer: id, key, error: err.message });
    }
  }

  #onExpired(entry: WireEntry): void {
    const id = asPeerIdStr(peerIdFromPublicKey(publicKeyFromRaw(entry.scope)).toString());
    const rec = this.#peers.get(id);
    if (rec === undefined || dec.decode(entry.key) !== PEER_STATE_KEY) return;
    const before = rec.state;
    rec.state = undefined;
    rec.stateGone = "expired";
    this.#emit(rec, before);
  }

  #onConnect = (evt: CustomEvent<PeerId>): void => {
    const rec = this.#peers.get(evt.detail.toString());
    if (rec === undefined) return;
    rec.connected = true;
    clearTimeout(rec.lostTimer);
    rec.lostTimer = undefined;
    // Media retries wait out a backoff; the peer is back, so retry now (media resumes right after a link cut).
    this.#subs?.reconnected(rec.id);
    if (rec.lost) {
      rec.lost = false;
      this.#emit(rec, rec.state);
    }
  };

  #onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const rec = this.#peers.get(evt.detail.toString());
    if (rec === undefined) return;
    rec.connected = false;
    this.#dialer.reconnect(rec.id);
    if (!rec.present || rec.lostTimer !== undefined) return;
    const grace = this.#init.graceMs ?? DEFAULT_GRACE_MS;
    const linkGrace = Math.max(grace, this.#init.linkLossGraceMs ?? DEFAULT_LINK_LOSS_GRACE_MS);
    const lost = (): void => {
      rec.lostTimer = undefined;
      if (rec.connected || this.status !== "joined") return;
      rec.lost = true;
      this.#emit(rec, rec.state);
    };
    // Decided when the short grace ends, not now: the connection's close event may come after peer:disconnect.
    rec.lostTimer = setTimeout(() => {
      if (this.#linkLost.get(rec.id) !== true || linkGrace === grace) return lost();
      this.#c.log.info("peer unreachable after a link loss; waiting for it to come back", { peer: rec.id, graceMs: linkGrace });
      rec.lostTimer = setTimeout(lost, linkGrace - grace);
    }, grace);
  };

  #onConnectionOpen = (evt: CustomEvent<Connection>): void => {
    this.#watchClose(evt.detail);
  };

  /** Remember how a connection ended, to pick the grace period when the peer ends up disconnected. */
  #watchClose(conn: Connection): void {
    conn.addEventListener("close", (evt: StreamCloseEvent) => {
      const linkLoss = endedByLinkLoss(conn.direct, evt);
      this.#linkLost.set(conn.remotePeer.toString(), linkLoss);
      this.#c.log.debug("connection closed", { peer: conn.remotePeer.toString(), direct: conn.direct, local: evt.local, error: evt.error?.message, linkLoss });
    }, { once: true });
  }

  #onSelfUpdate = (): void => {
    if (this.status === "joined") void this.#writeAddrs();
  };

  /** Leave without writing a tombstone: used when the whole node shuts down abruptly. */
  async abandon(): Promise<void> {
    if (this.status !== "left") await this.#stop();
  }
}

/**
 * A connection ended by link loss, not by the peer: it was relayed (a relay closes the circuit alike for a
 * crashed and for an unreachable peer), or it failed with an error other than the peer's reset (our ping
 * timed out and aborted it; no route; a socket timeout). A clean close or a reset from the peer's end (a
 * kill -9 makes the kernel reset its sockets) is not.
 */
export function endedByLinkLoss(direct: boolean, evt: Pick<StreamCloseEvent, "local" | "error">): boolean {
  if (!direct) return true;
  if (evt.error === undefined) return false;
  // libp2p's TCP connection aborts itself (local) on the socket's ECONNRESET, so `local` says nothing here.
  const code = (evt.error as Error & { code?: string }).code;
  return code !== "ECONNRESET" && code !== "EPIPE";
}

/** A command was refused because of its arguments (too many broadcasts, a name too long…); nothing changed. */
export class RoomCommandError extends Error {
  override name = "RoomCommandError";
  readonly code = "invalid-argument";
}

/** Refuse a state we could not encode, before anything is changed. */
function checkState(state: PeerState): void {
  try {
    encodePeerState(state);
  } catch (err) {
    throw new RoomCommandError((err as Error).message);
  }
}

/** Chat was sent before a chat publisher was set (iroh-live only logs this; we tell the caller). */
export class ChatNotEnabledError extends Error {
  override name = "ChatNotEnabledError";
  readonly code = "chat-not-enabled";
  constructor() {
    super("chat is not enabled: publish a broadcast with chat first");
  }
}

/** The room has been left; commands are refused. */
export class RoomClosedError extends Error {
  override name = "RoomClosedError";
  readonly code = "room-closed";
  constructor() {
    super("the room has been left");
  }
}
