/** Media slice selectors: the tile grid. */
import type { ParticipantInfo } from "../../../shared/ipc.ts";
import { memoizeLast } from "../memo.ts";
import { initialsOf, nameOf } from "../names.ts";
import { selectMyName } from "../room/selectors.ts";
import type { AppState } from "../types.ts";
import { broadcastKey } from "./state.ts";

/** One tile: a participant's broadcast, or the participant alone while they publish nothing. */
export interface TileView {
  key: string;
  peerId: string;
  name: string;
  initials: string;
  /** The broadcast shown, if any (video fills in with the media plane). */
  broadcast: string | undefined;
  /** We are receiving this broadcast (always true for our own). */
  live: boolean;
  self: boolean;
}

function tilesFor(peerId: string, name: string, broadcasts: readonly string[], self: boolean, live: ReadonlySet<string>): TileView[] {
  const base = { peerId, name, initials: initialsOf(name), self };
  if (broadcasts.length === 0) return [{ ...base, key: `${peerId}/`, broadcast: undefined, live: false }];
  return broadcasts.map((b) => ({ ...base, key: broadcastKey(peerId, b), broadcast: b, live: self || live.has(broadcastKey(peerId, b)) }));
}

const tiles = memoizeLast((participants: ParticipantInfo[], me: string, myName: string, local: string[], liveKeys: string[]): TileView[] => {
  const live = new Set(liveKeys);
  return [
    ...tilesFor(me, myName, local, true, live),
    ...participants.flatMap((p) => tilesFor(p.peerId, nameOf(p.peerId, p.displayName), p.broadcasts, false, live)),
  ];
});

/** One tile per broadcast of each participant (one placeholder tile for someone publishing nothing), us first. */
export const selectTiles = (s: AppState): TileView[] => tiles(s.participants, s.me ?? "", selectMyName(s), s.localBroadcasts, s.liveBroadcasts);

/** The open screen picker, if any. */
export const selectScreenRequest = (s: AppState): AppState["screenRequest"] => s.screenRequest;
