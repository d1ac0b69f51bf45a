/** Room slice state: who we are, where the room stands, who is in it. */
import type { AppSettings, ConnectionState, IdentityInfo, ParticipantInfo, PeerLink } from "../../../shared/ipc.ts";

/** A join or leave, shown in the timeline and announced to screen readers. */
export interface PresenceNotice {
  id: string;
  kind: "joined" | "left";
  peerId: string;
  name: string;
  /** For "left": why ("left", "connection-lost", "expired"). */
  reason?: string;
  at: number;
}

/** Whether the UI can reach the app core (always "open" under Electron; the socket in browser mode). */
export type TransportState = "open" | "reconnecting" | "replaced" | "closed";

/** The room slice's data. */
export interface RoomSliceState {
  identity: IdentityInfo | undefined;
  /** Remembered preferences (devices, relays, STUN, mDNS), once loaded. */
  settings: AppSettings | undefined;
  connection: ConnectionState;
  /** Our peer id in the current room. */
  me: string | undefined;
  /** Present participants in join order (never including us). */
  participants: ParticipantInfo[];
  /** How we reach each participant (reconnecting, direct or relayed, round trip), by peer id. */
  links: Record<string, PeerLink>;
  notices: PresenceNotice[];
  /** Last known name of everyone seen this session, so chat from someone who left still has a name. */
  knownNames: Record<string, string>;
  /** A ticket handed to us from outside (link, command line, ?ticket=) to prefill the lobby. */
  offeredTicket: string | undefined;
  /** A create/join is in flight. */
  entering: boolean;
  /** The last failed command's message, for the user. */
  error: string | undefined;
  transport: TransportState;
}

/** Most presence notices kept. */
export const MAX_NOTICES = 200;

/** The room slice before anything happened. */
export const initialRoomState: RoomSliceState = {
  identity: undefined,
  settings: undefined,
  connection: "idle",
  me: undefined,
  participants: [],
  links: {},
  notices: [],
  knownNames: {},
  offeredTicket: undefined,
  entering: false,
  error: undefined,
  transport: "open",
};
