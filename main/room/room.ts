/**
 * The public room API, mirroring iroh-live's `Room` / `RoomHandle`: join from a ticket, read events,
 * publish, set a display name, leave.
 */
import type { PeerIdStr } from "../../shared/ids.ts";
import type { RoomTicket } from "../../shared/ticket.ts";
import { createRoomActor, type PublishedBroadcast, type RoomActor, type RoomComponents, type RoomInit } from "./actor.ts";
import type { EventQueue } from "./event-queue.ts";
import type { PeerPathChanged, RoomEvent } from "./events.ts";
import type { ChatPublisher } from "../media/chat.ts";

/** The event side of a split room. */
export type RoomEvents = EventQueue<RoomEvent>;

/** Cloneable publishing side of a room. */
export class RoomHandle {
  readonly #actor: RoomActor;

  constructor(actor: RoomActor) {
    this.#actor = actor;
  }

  /** This peer's id. */
  get me(): PeerIdStr {
    return this.#actor.me;
  }

  /** A ticket naming this peer (and up to two other live peers) as bootstrap. */
  ticket(): RoomTicket {
    return this.#actor.ticket();
  }

  /** Publish a broadcast under `name`; it leaves our room state when it closes or is unpublished. */
  publish(name: string, broadcast?: PublishedBroadcast): Promise<void> {
    return this.#actor.send({ kind: "Publish", name, broadcast });
  }

  /** Stop publishing `name`. */
  unpublish(name: string): Promise<void> {
    return this.#actor.send({ kind: "Unpublish", name });
  }

  /** Use this chat publisher (the chat track of one of our broadcasts) for {@link sendChat}. */
  setChatPublisher(publisher: ChatPublisher): Promise<void> {
    return this.#actor.send({ kind: "SetChatPublisher", publisher });
  }

  /** Send a chat message; rejects for empty or over-long text, or when chat is not enabled. */
  async sendChat(text: string): Promise<{ seq: number; sentAt: number }> {
    let result: { seq: number; sentAt: number } | undefined;
    await this.#actor.send({ kind: "SendChat", text, done: (r) => (result = r) });
    return result!;
  }

  /** Set (or clear) the name others see. */
  setDisplayName(name: string | undefined): Promise<void> {
    return this.#actor.send({ kind: "SetDisplayName", name });
  }

  /** Leave gracefully: everyone sees PeerLeft at once; the event stream then ends. */
  leave(): Promise<void> {
    return this.#actor.send({ kind: "Leave" });
  }
}

/** A joined room: events plus a handle. */
export class Room {
  readonly handle: RoomHandle;
  readonly #actor: RoomActor;

  private constructor(actor: RoomActor) {
    this.#actor = actor;
    this.handle = new RoomHandle(actor);
  }

  /** Join the room a ticket names. Resolves once our state is written; peers appear as events. */
  static async join(components: RoomComponents, init: RoomInit): Promise<Room> {
    const actor = createRoomActor(init)(components);
    await actor.start();
    return new Room(actor);
  }

  /** The next event; rejects once the room has been left and every event was read. */
  async recv(): Promise<RoomEvent> {
    const ev = await this.#actor.events.next();
    if (ev === undefined) throw new Error("room closed");
    return ev;
  }

  /** The next event if one is waiting. */
  tryRecv(): RoomEvent | undefined {
    return this.#actor.events.tryNext();
  }

  [Symbol.asyncIterator](): AsyncGenerator<RoomEvent> {
    return this.#actor.events[Symbol.asyncIterator]();
  }

  /** See {@link RoomHandle.ticket}. */
  ticket(): RoomTicket {
    return this.handle.ticket();
  }

  /** Separate the event stream from the handle, to use them in different tasks. */
  split(): [RoomEvents, RoomHandle] {
    return [this.#actor.events, this.handle];
  }

  /** Ids of the peers currently in the room. */
  peers(): PeerIdStr[] {
    return this.#actor.presentPeers();
  }

  /** How each present peer is reached: "direct" or "relayed" (or "none" while reconnecting), with the last RTT. */
  paths(): ReturnType<RoomActor["paths"]> {
    return this.#actor.paths();
  }

  /** Call `listener` whenever the path to a present peer changes (direct or relayed, with an RTT); returns the unsubscribe. */
  onPathChanged(listener: (ev: PeerPathChanged) => void): () => void {
    return this.#actor.onPathChanged(listener);
  }

  /** Counters of refused state entries (forged, stale, oversized…). */
  rejections(): ReturnType<RoomActor["rejections"]> {
    return this.#actor.rejections();
  }

  /** Stop without a tombstone (crash-like); peers notice after the grace period. For tests and shutdown paths. */
  abandon(): Promise<void> {
    return this.#actor.abandon();
  }
}
