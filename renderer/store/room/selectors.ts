/** Room slice selectors. */
import type { ConnectionState, PeerLink } from "../../../shared/ipc.ts";
import { memoizeLast } from "../memo.ts";
import { initialsOf, nameOf } from "../names.ts";
import type { AppState } from "../types.ts";

/** A participant as the list shows them. */
export interface ParticipantView {
  peerId: string;
  name: string;
  initials: string;
  self: boolean;
}

/** Words for each connection state (also what screen readers hear). */
export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  idle: "Not in a room",
  connecting: "Connecting…",
  joined: "In the room",
  reconnecting: "Reconnecting…",
  leaving: "Leaving…",
};

/** Where the room stands. */
export const selectConnection = (s: AppState): ConnectionState => s.connection;

/** Whether the call view (rather than the lobby) is shown. */
export const selectInRoom = (s: AppState): boolean => s.connection !== "idle";

/** Our own shown name. */
export const selectMyName = (s: AppState): string => nameOf(s.me ?? s.identity?.peerId ?? "", s.identity?.displayName);

const participantViews = memoizeLast((participants: AppState["participants"], myName: string, me: string | undefined): ParticipantView[] => [
  { peerId: me ?? "", name: myName, initials: initialsOf(myName), self: true },
  ...participants.map((p) => {
    const name = nameOf(p.peerId, p.displayName);
    return { peerId: p.peerId, name, initials: initialsOf(name), self: false };
  }),
]);

/** Everyone in the room, us first. */
export const selectParticipantViews = (s: AppState): ParticipantView[] => participantViews(s.participants, selectMyName(s), s.me);

/** How many people are in the room, us included. */
export const selectHeadcount = (s: AppState): number => s.participants.length + 1;

/** The newest presence notice, for the screen-reader live region. */
export const selectLatestNotice = (s: AppState): AppState["notices"][number] | undefined => s.notices.at(-1);

/** A participant's link in words: "direct · 3 ms", "relayed", "reconnecting…", or "" while unknown. */
export function linkText(link: PeerLink | undefined): string {
  if (link === undefined) return "";
  if (link.state === "reconnecting") return "reconnecting…";
  const rtt = link.rttMs === undefined ? "" : ` · ${Math.round(link.rttMs)} ms`;
  return `${link.path ?? "connected"}${rtt}`;
}
