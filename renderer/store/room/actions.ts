/** Room slice actions: facts from main (peerJoined…) and from our own commands (enterStarted…). */
import type { AppSettings, ConnectionState, IdentityInfo, ParticipantInfo, PeerLink } from "../../../shared/ipc.ts";
import { initialChatState } from "../chat/state.ts";
import { initialMediaState } from "../media/state.ts";
import { nameOf } from "../names.ts";
import type { GetState, SetState } from "../types.ts";
import { initialRoomState, MAX_NOTICES, type PresenceNotice, type TransportState } from "./state.ts";

/** What can happen to the room slice. */
export interface RoomActions {
  identityLoaded(identity: IdentityInfo): void;
  settingsLoaded(settings: AppSettings): void;
  connectionChanged(state: ConnectionState): void;
  enterStarted(): void;
  roomEntered(room: { me: string; displayName: string }): void;
  enterFailed(message: string): void;
  commandFailed(message: string): void;
  errorDismissed(): void;
  displayNameChanged(displayName: string): void;
  peerJoined(p: ParticipantInfo, at?: number): void;
  peerUpdated(p: ParticipantInfo): void;
  peerLeft(p: { peerId: string; reason: string }, at?: number): void;
  peerLinkChanged(p: { peerId: string; link: PeerLink }): void;
  ticketOpened(ticket: string): void;
  transportChanged(state: TransportState): void;
  /** The UI reconnected to the core, which will now replay its state: start from nothing. */
  coreReattached(): void;
}

let noticeSeq = 0;

function notice(kind: PresenceNotice["kind"], peerId: string, name: string, at: number, reason?: string): PresenceNotice {
  return { id: `n${++noticeSeq}`, kind, peerId, name, at, ...(reason !== undefined && { reason }) };
}

const appendNotice = (list: PresenceNotice[], n: PresenceNotice): PresenceNotice[] => [...list, n].slice(-MAX_NOTICES);

/** Everything that belongs to one room visit, cleared when we are back in the lobby. */
const roomReset = {
  me: undefined,
  participants: [],
  links: {},
  notices: [],
  ...initialChatState,
  ...initialMediaState,
};

/** The room slice's actions. */
export function createRoomActions(set: SetState, _get: GetState): RoomActions {
  return {
    identityLoaded: (identity) => set({ identity }),
    settingsLoaded: (settings) => set({ settings }),
    connectionChanged: (connection) => set(connection === "idle" ? { connection, ...roomReset } : { connection }),
    enterStarted: () => set({ entering: true, error: undefined }),
    roomEntered: ({ me, displayName }) =>
      set((s) => ({ entering: false, me, offeredTicket: undefined, identity: s.identity && { ...s.identity, displayName } })),
    enterFailed: (error) => set({ entering: false, error }),
    commandFailed: (error) => set({ error }),
    errorDismissed: () => set({ error: undefined }),
    displayNameChanged: (displayName) => set((s) => ({ identity: s.identity && { ...s.identity, displayName } })),
    peerLinkChanged: ({ peerId, link }) => set((s) => ({ links: { ...s.links, [peerId]: link } })),
    peerJoined: (p, at = Date.now()) =>
      set((s) => {
        const name = nameOf(p.peerId, p.displayName);
        const knownNames = { ...s.knownNames, [p.peerId]: name };
        const i = s.participants.findIndex((x) => x.peerId === p.peerId);
        if (i >= 0) return { knownNames, participants: s.participants.map((x, j) => (j === i ? p : x)) };
        return { knownNames, participants: [...s.participants, p], notices: appendNotice(s.notices, notice("joined", p.peerId, name, at)) };
      }),
    peerUpdated: (p) =>
      set((s) => {
        if (!s.participants.some((x) => x.peerId === p.peerId)) return {};
        return {
          participants: s.participants.map((x) => (x.peerId === p.peerId ? p : x)),
          knownNames: { ...s.knownNames, [p.peerId]: nameOf(p.peerId, p.displayName) },
        };
      }),
    peerLeft: ({ peerId, reason }, at = Date.now()) =>
      set((s) => {
        const gone = s.participants.find((x) => x.peerId === peerId);
        if (gone === undefined) return {};
        const { [peerId]: _gone, ...links } = s.links;
        return {
          participants: s.participants.filter((x) => x.peerId !== peerId),
          links,
          liveBroadcasts: s.liveBroadcasts.filter((k) => !k.startsWith(`${peerId}/`)),
          notices: appendNotice(s.notices, notice("left", peerId, nameOf(peerId, gone.displayName), at, reason)),
        };
      }),
    ticketOpened: (offeredTicket) => set({ offeredTicket }),
    transportChanged: (transport) => set({ transport }),
    coreReattached: () => set((s) => ({ ...initialRoomState, ...roomReset, identity: s.identity, settings: s.settings })),
  };
}
