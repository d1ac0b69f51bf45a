/**
 * Room events: facts about other peers, in the order this peer learned them (see docs/PROTOCOL.md).
 *
 * Every event is plain data (peer ids as strings) so it can cross IPC and be printed by the CLI as JSON.
 */
import type { PeerIdStr } from "../../shared/ids.ts";

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

/** Everything a room reports. */
export type RoomEvent = PeerJoined | RemoteAnnounced | PeerUpdated | PeerLeft;
