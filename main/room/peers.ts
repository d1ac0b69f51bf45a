/**
 * Presence bookkeeping: which remote peers are in the room, and the one event each transition produces.
 *
 * A peer is present while it has a live state entry (not a tombstone, not expired) and has not been
 * disconnected for longer than the grace period. Every change of that predicate produces exactly one
 * PeerJoined or PeerLeft; changes while present produce PeerUpdated / RemoteAnnounced.
 */
import type { PeerState } from "../../shared/peer-state.ts";
import type { PeerIdStr } from "../../shared/ids.ts";
import type { LeaveReason, RoomEvent } from "./events.ts";

/** What this peer knows about one remote peer. */
export interface PeerRecord {
  id: PeerIdStr;
  state: PeerState | undefined;
  /** Why the state went away (tombstone or expiry), until a newer entry arrives. */
  stateGone: LeaveReason | undefined;
  addrs: string[];
  connected: boolean;
  /** Set once a disconnect outlived the grace period; cleared on reconnect. */
  lost: boolean;
  present: boolean;
  lostTimer: ReturnType<typeof setTimeout> | undefined;
}

/** A fresh record for a peer seen for the first time. */
export function newPeerRecord(id: PeerIdStr): PeerRecord {
  return { id, state: undefined, stateGone: undefined, addrs: [], connected: false, lost: false, present: false, lostTimer: undefined };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Re-evaluate presence after `rec` changed, given what was announced before the change.
 * Returns the events to emit, in order, and updates `rec.present`.
 */
export function evaluatePresence(rec: PeerRecord, before: PeerState | undefined): RoomEvent[] {
  const shouldBePresent = rec.state !== undefined && !rec.lost;
  const remote = rec.id;
  if (!rec.present && shouldBePresent && rec.state !== undefined) {
    rec.present = true;
    return [
      { type: "PeerJoined", remote, displayName: rec.state.displayName },
      { type: "RemoteAnnounced", remote, broadcasts: [...rec.state.broadcasts] },
    ];
  }
  if (rec.present && !shouldBePresent) {
    rec.present = false;
    const reason: LeaveReason = rec.lost ? "connection-lost" : (rec.stateGone ?? "left");
    return [{ type: "PeerLeft", remote, reason }];
  }
  if (rec.present && rec.state !== undefined && before !== undefined) {
    const out: RoomEvent[] = [];
    const { displayName, broadcasts } = rec.state;
    if (displayName !== before.displayName) out.push({ type: "PeerUpdated", remote, displayName, broadcasts: [...broadcasts] });
    if (!sameList(broadcasts, before.broadcasts)) out.push({ type: "RemoteAnnounced", remote, broadcasts: [...broadcasts] });
    return out;
  }
  return [];
}
