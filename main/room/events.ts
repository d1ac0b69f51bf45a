/**
 * Room events: facts about other peers, in the order this peer learned them (see docs/PROTOCOL.md).
 *
 * Every event but BroadcastSubscribed is plain data (peer ids as strings), so it can cross IPC and be
 * printed by the CLI as JSON; {@link toPlainEvent} makes that one plain too.
 */
import type { PeerIdStr } from "../../shared/ids.ts";
import type { Catalog } from "../../shared/media/catalog.ts";
import type { RemoteBroadcastHandle } from "./media-port.ts";

/** Why a peer is no longer in the room. */
export type LeaveReason = "left" | "connection-lost" | "expired";

/** A peer appeared (first accepted state entry, or back after leaving). */
export interface PeerJoined { type: "PeerJoined"; remote: PeerIdStr; displayName: string | undefined }
/** A present peer's published broadcast names (on join and whenever the set changes). */
export interface RemoteAnnounced { type: "RemoteAnnounced"; remote: PeerIdStr; broadcasts: string[] }
/** A present peer changed its display name. Beyond iroh-live, which never surfaces name changes. */
export interface PeerUpdated { type: "PeerUpdated"; remote: PeerIdStr; displayName: string | undefined; broadcasts: string[] }
/** A peer left: exactly once per departure, whatever the cause. */
export interface PeerLeft { type: "PeerLeft"; remote: PeerIdStr; reason: LeaveReason }


/** A remote broadcast is ready to consume: its catalog has arrived (live object: not for IPC as is). */
export interface BroadcastSubscribed {
  type: "BroadcastSubscribed";
  remote: PeerIdStr;
  name: string;
  broadcast: RemoteBroadcastHandle;
  catalog: Catalog;
}
/** A subscribed broadcast ended (unpublished, session gone, or dropped for a bad catalog). Beyond iroh-live. */
export interface BroadcastEnded { type: "BroadcastEnded"; remote: PeerIdStr; name: string; reason: string }
/** A chat message from a peer; `history` marks messages sent before we subscribed. */
export interface ChatReceived {
  type: "ChatReceived";
  remote: PeerIdStr;
  text: string;
  /** Our clock, ms since the epoch. */
  receivedAt: number;
  /** The sender's clock, ms since the epoch. */
  sentAt: number;
  history: boolean;
}

/**
 * The way we reach a present peer changed: "direct" (a direct connection: TCP, or WebRTC after a hole punch)
 * or "relayed" (through a circuit relay), with one round-trip time measured on the new path. Also reported
 * when a peer first becomes reachable, and again after it was unreachable. Delivered through
 * `Room.onPathChanged`, not the event stream: it is connection state, not room membership.
 */
export interface PeerPathChanged { type: "PeerPathChanged"; remote: PeerIdStr; path: "direct" | "relayed"; rttMs: number | undefined }

/** Everything a room reports. */
export type RoomEvent = PeerJoined | RemoteAnnounced | PeerUpdated | PeerLeft | BroadcastSubscribed | BroadcastEnded | ChatReceived;

/** The event without live objects (for JSON output and IPC). */
export function toPlainEvent(ev: RoomEvent): Record<string, unknown> {
  if (ev.type !== "BroadcastSubscribed") return { ...ev };
  const { broadcast: _b, ...rest } = ev;
  return rest;
}
