/**
 * One room the app is in: its own libp2p node, the room, and the translation of what happens there into
 * UI events. The service creates one per join and drops it after leaving, so nothing of a previous room
 * (connections, keep-alive tags, timers) outlives it.
 */
import type { PeerId, PrivateKey } from "@libp2p/interface";
import type { ChatMessageInfo, EventMessage, ParticipantInfo, PeerLink } from "../../shared/ipc.ts";
import { peerIdFromString } from "@libp2p/peer-id";
import type { RoomTicket } from "../../shared/ticket.ts";
import type { Log } from "../log.ts";
import { createRoomsNode, type RoomsNode } from "../net/node.ts";
import { RelayKeeper } from "../net/relay-client.ts";
import { RoomPublisherSync } from "../media/publisher-sync.ts";
import { RendererSources } from "../media/renderer-sources.ts";
import type * as Moq from "@moq/net";
import type { MediaLink } from "./media-link.ts";
import type { RoomInit } from "../room/actor.ts";
import type { RoomEvent } from "../room/events.ts";
import type { RoomMedia } from "../room/media-port.ts";
import { Room } from "../room/room.ts";
import { AppError } from "./errors.ts";
import { Connectivity, type Reachability } from "./connectivity.ts";
import { Participants } from "./participants.ts";

/** Room timing knobs tests shorten. */
export type RoomTiming = Pick<RoomInit, "graceMs" | "horizonMs" | "refreshMs">;

/** How long a peer lost to a dropped connection keeps us "reconnecting" before we count ourselves alone. */
export const LOST_PEER_WINDOW_MS = 30_000;
/** How long joining waits for relay reservations before going ahead without them. */
export const RELAY_WAIT_MS = 6_000;
/** How long a graceful leave may take before we stop without waiting (peers then notice by timeout). */
export const LEAVE_TIMEOUT_MS = 5_000;

/** The media transport of one session (main/moq's), which the session closes when it ends. */
export type SessionMedia = RoomMedia & { close(): Promise<void> };

/** Creates a session's media transport on its node; without one a room has presence but no media or chat. */
export type MediaFactory = (node: RoomsNode, log: Log) => Promise<SessionMedia>;

/** What a session needs. */
export interface RoomSessionInit {
  privateKey: PrivateKey;
  listen: string[];
  ticket: RoomTicket;
  displayName: string;
  /** Relays, STUN servers and mDNS (from the settings); default none. */
  network?: { relays: readonly string[]; stun: readonly string[]; mdns: boolean };
  log: Log;
  timing?: RoomTiming;
  lostPeerWindowMs?: number;
  media?: MediaFactory;
  /** Every UI event the room produces, in order. */
  onEvent: (ev: EventMessage) => void;
  /** The reachability changed (see {@link Connectivity}). */
  onReachability: (state: Reachability) => void;
  /** The room ended without {@link RoomSession.leave} (the core stopped it). */
  onEnded: () => void;
}

/** A joined room with its node. */
export class RoomSession {
  readonly #init: RoomSessionInit;
  readonly #node: RoomsNode;
  readonly #room: Room;
  readonly #media: SessionMedia | undefined;
  readonly #publisher: RoomPublisherSync | undefined;
  readonly #connectivity: Connectivity;
  readonly #participants = new Participants();
  readonly #lostTimers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #pump: Promise<void>;
  #reachability: Reachability;
  readonly #relays: RelayKeeper;
  /** How we reach each present participant, as last told to the UI. */
  readonly #links = new Map<string, PeerLink>();
  /** Last measured round trip per peer (from a path change). */
  readonly #rtt = new Map<string, number>();
  readonly #offPath: () => void;
  #leaving = false;
  #chatSeq = 0;
  /** Remote broadcasts being received, as "peer/name". */
  readonly #live = new Map<string, { peerId: string; name: string; broadcast: Moq.Broadcast.Consumer }>();
  readonly #sources: RendererSources;
  /** The UI's media link, when one is attached: our camera and screen come from it, remote media goes to it. */
  #link: { link: MediaLink; off: () => void } | undefined;

  private constructor(parts: {
    init: RoomSessionInit;
    node: RoomsNode;
    room: Room;
    media: SessionMedia | undefined;
    publisher: RoomPublisherSync | undefined;
    sources: RendererSources;
    connectivity: Connectivity;
    relays: RelayKeeper;
  }) {
    const { init, connectivity } = parts;
    this.#init = init;
    this.#node = parts.node;
    this.#room = parts.room;
    this.#media = parts.media;
    this.#publisher = parts.publisher;
    this.#sources = parts.sources;
    this.#relays = parts.relays;
    this.#connectivity = connectivity;
    this.#offPath = parts.room.onPathChanged((ev) => {
      if (ev.rttMs !== undefined) this.#rtt.set(ev.remote, ev.rttMs);
      this.#linkMayHaveChanged(ev.remote);
    });
    this.#reachability = connectivity.state;
    this.#pump = this.#run();
  }

  /** Start a node and join the room the ticket names. */
  static async start(init: RoomSessionInit): Promise<RoomSession> {
    const net = init.network ?? { relays: [], stun: [], mdns: false };
    const node = await createRoomsNode({
      privateKey: init.privateKey,
      listen: init.listen,
      relayReservations: net.relays.length,
      stun: [...net.stun],
      mdns: net.mdns,
      log: init.log,
    });
    const relays = RelayKeeper.start(node, net.relays, init.log);
    const connectivity = new Connectivity({ expectPeers: init.ticket.bootstrap.length > 0 });
    // Connection changes are recorded from the start; the session reacts to them once it exists.
    const created: { session?: RoomSession } = {};
    const onConnection = (evt: CustomEvent<PeerId>): void => {
      const id = evt.detail.toString();
      if (node.getConnections(evt.detail).length > 0) connectivity.connected(id);
      else connectivity.disconnected(id);
      if (created.session !== undefined) {
        created.session.#reachabilityMayHaveChanged();
        created.session.#linkMayHaveChanged(id);
      }
    };
    node.addEventListener("peer:connect", onConnection);
    node.addEventListener("peer:disconnect", onConnection);
    let media: SessionMedia | undefined;
    let room: Room | undefined;
    try {
      // Tickets we hand out should carry our relayed address: give the reservations a moment, not forever.
      if (net.relays.length > 0) await relays.settled(RELAY_WAIT_MS);
      media = await init.media?.(node, init.log);
      room = await Room.join(
        { node, privateKey: init.privateKey, log: init.log, ...(media !== undefined && { media }) },
        { ticket: init.ticket, displayName: init.displayName, ...init.timing },
      );
      // Our camera broadcast carries the chat track; it is published (empty) even before any camera is on.
      // Its media comes from the UI's media link (see bindLink).
      const sources = new RendererSources(init.log);
      const publisher = media === undefined ? undefined : await RoomPublisherSync.create(room.handle, sources.sources);
      created.session = new RoomSession({ init, node, room, media, publisher, sources, connectivity, relays });
      return created.session;
    } catch (err) {
      await room?.abandon().catch(() => undefined);
      await media?.close().catch(() => undefined);
      relays.stop();
      await Promise.resolve(node.stop()).catch(() => undefined);
      throw err;
    }
  }

  /** This peer's id. */
  get me(): string {
    return this.#room.handle.me;
  }

  /** Whether we can reach the room (see {@link Connectivity}). */
  get reachability(): Reachability {
    return this.#reachability;
  }

  /** A fresh ticket naming this peer and other live peers. */
  ticket(): string {
    return this.#room.ticket().toString();
  }

  /** Present participants. */
  participants(): ParticipantInfo[] {
    return this.#participants.list();
  }

  /** Remote broadcasts being received. */
  liveBroadcasts(): { peerId: string; name: string }[] {
    return [...this.#live.values()].map(({ peerId, name }) => ({ peerId, name }));
  }

  /**
   * Use `link` (or none) as the UI's media: what it publishes becomes our camera and screen broadcasts, and
   * every remote broadcast is offered on it. Replaces an earlier link.
   */
  bindLink(link: MediaLink | undefined): void {
    if (this.#link?.link === link) return;
    if (this.#link !== undefined) {
      this.#link.off();
      this.#link.link.withdrawAll();
      this.#link = undefined;
    }
    const publisher = this.#publisher;
    if (link === undefined || publisher === undefined || this.#leaving) {
      if (publisher !== undefined) void this.#sources.update(publisher, {});
      return;
    }
    for (const b of this.#live.values()) link.offer(b.peerId, b.name, b.broadcast);
    const apply = (): void => void this.#sources.update(publisher, link.published);
    this.#link = { link, off: link.onPublishedChanged(apply) };
    apply();
  }

  /** Send a chat message; resolves with its local echo. */
  async sendChat(text: string): Promise<ChatMessageInfo> {
    if (this.#publisher === undefined) throw new AppError("not-available", "chat needs the media transport, which this app runs without");
    const { seq, sentAt } = await this.#room.handle.sendChat(text);
    return { id: `${this.me}/${seq}`, from: this.me, text, at: sentAt, history: false, self: true };
  }

  /** Change the name others see. */
  setDisplayName(name: string): Promise<void> {
    return this.#room.handle.setDisplayName(name);
  }

  /** Leave gracefully (bounded by {@link LEAVE_TIMEOUT_MS}) and stop the node. Safe to call twice. */
  async leave(): Promise<void> {
    if (!this.#leaving) {
      this.#leaving = true;
      const { log } = this.#init;
      const timeout = AbortSignal.timeout(LEAVE_TIMEOUT_MS);
      const timedOut = new Promise<"timeout">((resolve) => timeout.addEventListener("abort", () => resolve("timeout"), { once: true }));
      const outcome = await Promise.race([this.#room.handle.leave().then(() => "left" as const), timedOut]).catch((err: unknown) => {
        log.warn("leave failed", { error: String(err) });
        return "failed" as const;
      });
      if (outcome !== "left") await this.#room.abandon().catch(() => undefined);
      this.#link?.off();
      this.#link?.link.withdrawAll();
      this.#link = undefined;
      this.#offPath();
      this.#relays.stop();
      this.#publisher?.close();
      await this.#media?.close().catch((err: unknown) => log.warn("media close failed", { error: String(err) }));
      for (const t of this.#lostTimers.values()) clearTimeout(t);
      this.#lostTimers.clear();
      await Promise.resolve(this.#node.stop()).catch((err: unknown) => log.warn("node stop failed", { error: String(err) }));
    }
    await this.#pump;
  }

  async #run(): Promise<void> {
    try {
      for await (const ev of this.#room) this.#onRoomEvent(ev);
    } catch (err) {
      this.#init.log.warn("room event stream failed", { error: String(err) });
    }
    if (!this.#leaving) this.#init.onEnded();
  }

  #onRoomEvent(ev: RoomEvent): void {
    if (this.#leaving) return;
    switch (ev.type) {
      case "PeerJoined":
        this.#clearLost(ev.remote);
        this.#connectivity.peerJoined(ev.remote);
        break;
      case "PeerLeft":
        this.#connectivity.peerLeft(ev.remote, ev.reason);
        if (ev.reason === "connection-lost") this.#watchLost(ev.remote);
        break;
      case "ChatReceived": {
        const m: ChatMessageInfo = { id: `${ev.remote}/r${++this.#chatSeq}`, from: ev.remote, text: ev.text, at: ev.receivedAt, history: ev.history, self: false };
        this.#init.onEvent({ event: "chatReceived", payload: m });
        return;
      }
      // The room subscribes to broadcasts itself; the UI learns which are live (video tiles consume them later).
      case "BroadcastSubscribed":
        this.#live.set(`${ev.remote}/${ev.name}`, { peerId: ev.remote, name: ev.name, broadcast: ev.broadcast.consumer });
        // Offered on the link before the UI hears of it, so the UI can consume the path at once.
        this.#link?.link.offer(ev.remote, ev.name, ev.broadcast.consumer);
        this.#init.onEvent({ event: "broadcastSubscribed", payload: { peerId: ev.remote, name: ev.name } });
        return;
      case "BroadcastEnded":
        if (!this.#live.delete(`${ev.remote}/${ev.name}`)) return;
        this.#link?.link.withdraw(ev.remote, ev.name);
        this.#init.onEvent({ event: "broadcastEnded", payload: { peerId: ev.remote, name: ev.name, reason: ev.reason } });
        return;
      case "RemoteAnnounced":
      case "PeerUpdated":
        break;
      default: {
        const never: never = ev;
        throw new Error(`unhandled room event ${JSON.stringify(never)}`);
      }
    }
    for (const out of this.#participants.apply(ev)) this.#init.onEvent(out);
    if (ev.type === "PeerJoined") this.#linkMayHaveChanged(ev.remote);
    if (ev.type === "PeerLeft") {
      this.#links.delete(ev.remote);
      this.#rtt.delete(ev.remote);
    }
    this.#reachabilityMayHaveChanged();
  }

  #watchLost(id: string): void {
    this.#clearLost(id);
    const timer = setTimeout(() => {
      this.#lostTimers.delete(id);
      this.#connectivity.forgetLost(id);
      this.#reachabilityMayHaveChanged();
    }, this.#init.lostPeerWindowMs ?? LOST_PEER_WINDOW_MS);
    timer.unref();
    this.#lostTimers.set(id, timer);
  }

  #clearLost(id: string): void {
    clearTimeout(this.#lostTimers.get(id));
    this.#lostTimers.delete(id);
  }

  /** How we reach each present participant. */
  links(): { peerId: string; link: PeerLink }[] {
    return [...this.#links].map(([peerId, link]) => ({ peerId, link: { ...link } }));
  }

  /** Tell the UI when how we reach a present participant changed: reconnecting, back, direct or relayed. */
  #linkMayHaveChanged(id: string): void {
    if (this.#leaving || !this.#participants.ids().includes(id)) return;
    let conns;
    try {
      conns = this.#node.getConnections(peerIdFromString(id)).filter((c) => c.status === "open");
    } catch {
      return;
    }
    const rtt = this.#rtt.get(id);
    const link: PeerLink =
      conns.length === 0
        ? { state: "reconnecting" }
        : { state: "connected", path: conns.some((c) => c.direct) ? "direct" : "relayed", ...(rtt !== undefined && { rttMs: rtt }) };
    const prev = this.#links.get(id);
    if (prev !== undefined && prev.state === link.state && prev.path === link.path && prev.rttMs === link.rttMs) return;
    this.#links.set(id, link);
    this.#init.onEvent({ event: "peerLinkChanged", payload: { peerId: id, link } });
  }

  #reachabilityMayHaveChanged(): void {
    if (this.#leaving) return;
    const next = this.#connectivity.state;
    if (next === this.#reachability) return;
    this.#reachability = next;
    this.#init.onReachability(next);
  }
}
