/**
 * The one IPC contract between the UI (renderer) and the core (Electron main, or the Node process of
 * browser mode). Both transports — Electron IPC through the preload bridge, and the browser-mode
 * WebSocket — carry exactly these commands and events.
 *
 * Commands return a Promise of an {@link IpcResult}: errors cross as data with a code, never as thrown
 * exceptions (Electron flattens those). Events are facts, named in the past tense, and main queues them
 * until the renderer calls `rendererReady`. Only structured-clone-safe data crosses.
 */
import { z } from "zod";

/** Success with a value, or a failure with a machine-readable code and a human message. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** An error as it crosses IPC. */
export interface IpcError {
  code: string;
  message: string;
}

/** Where the room stands, as the UI shows it. */
export type ConnectionState = "idle" | "connecting" | "joined" | "reconnecting" | "leaving";

/** A participant as the UI knows it (peer-supplied strings are untrusted text: render, never interpret). */
export interface ParticipantInfo {
  peerId: string;
  displayName: string | undefined;
  broadcasts: string[];
}

/** How we reach a participant: reconnecting after a lost link, or connected directly or through a relay. */
export interface PeerLink {
  state: "connected" | "reconnecting";
  /** Only while connected. */
  path?: "direct" | "relayed";
  /** Round-trip time of the last measurement on this path. */
  rttMs?: number;
}

/** A chat message (local echo or received). */
export interface ChatMessageInfo {
  /** Unique per message within this session (sender + sequence). */
  id: string;
  from: string;
  text: string;
  /** Milliseconds since the UNIX epoch, this machine's clock. */
  at: number;
  /** Sent before we joined, delivered as history. */
  history: boolean;
  self: boolean;
}

/** Who we are. */
export interface IdentityInfo {
  peerId: string;
  /** The display name the user chose last time, if any. */
  displayName: string | undefined;
  /** A name to offer on first run (from the OS account), so the lobby is never blank. */
  suggestedName: string;
  /** Where the identity key and settings live. */
  dataDir: string;
}

/** The room we are in. */
export interface RoomInfo {
  ticket: string;
  me: string;
}

/** A screen or window the user may share (Electron's source picker; browser mode uses the browser's own). */
export interface ScreenSourceInfo {
  id: string;
  name: string;
  kind: "screen" | "window";
  /** A `data:image/png` thumbnail, or "" when the platform gave none. */
  thumbnail: string;
}

/** Preferences remembered across runs (besides the display name, which {@link IdentityInfo} carries). */
export interface AppSettings {
  /** The devices last chosen (ids from enumerateDevices); absent means the system default. */
  devices: { camera?: string; microphone?: string; speaker?: string };
  /** Relays to hold reservations on, as multiaddrs ending in /p2p/<relay id> (used from the next room on). */
  relays: string[];
  /** STUN servers (`host:port`) for finding a direct path behind NATs. */
  stun: string[];
  /** Find peers on the local network by mDNS. */
  mdns: boolean;
}

/** Limits shared by UI validation and main's argument checks. */
export const LIMITS = {
  displayNameBytes: 64,
  chatBytes: 4096,
  ticketChars: 4096,
  relays: 8,
  relayChars: 512,
  stunServers: 4,
  deviceIdChars: 256,
} as const;

const deviceId = z.string().max(LIMITS.deviceIdChars);
/** `host:port`, host a DNS name or an IPv4 address, or `[IPv6]:port`. */
const hostPort = z.string().max(262).regex(/^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/, "must be host:port");

/** A change to {@link AppSettings}; only the fields given are changed. */
export const SettingsPatch = z.strictObject({
  devices: z.strictObject({ camera: deviceId.optional(), microphone: deviceId.optional(), speaker: deviceId.optional() }).optional(),
  relays: z.array(z.string().trim().min(1).max(LIMITS.relayChars)).max(LIMITS.relays).optional(),
  stun: z.array(hostPort).max(LIMITS.stunServers).optional(),
  mdns: z.boolean().optional(),
});
/** A change to the settings. */
export type SettingsPatch = z.infer<typeof SettingsPatch>;

const utf8Len = (s: string): number => new TextEncoder().encode(s).length;
const displayName = z.string().trim().min(1).refine((s) => utf8Len(s) <= LIMITS.displayNameBytes, `at most ${LIMITS.displayNameBytes} bytes`);

/** Argument schemas, validated in main for every command (the renderer is not trusted). */
export const CommandArgs = {
  rendererReady: z.tuple([]),
  getIdentity: z.tuple([]),
  createRoom: z.tuple([z.object({ displayName })]),
  joinRoom: z.tuple([z.object({ ticket: z.string().max(LIMITS.ticketChars), displayName })]),
  leaveRoom: z.tuple([]),
  setDisplayName: z.tuple([z.object({ displayName })]),
  sendChat: z.tuple([z.object({ text: z.string().min(1).refine((s) => utf8Len(s) <= LIMITS.chatBytes, `at most ${LIMITS.chatBytes} bytes`) })]),
  getTicket: z.tuple([]),
  resetIdentity: z.tuple([]),
  pickScreenSource: z.tuple([z.object({ requestId: z.string().min(1).max(64), sourceId: z.string().min(1).max(256).nullable() })]),
  openMediaLink: z.tuple([]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([SettingsPatch]),
} as const;

/** Commands the UI sends; each resolves to an {@link IpcResult}. */
export interface RendererToMain {
  /** The UI is mounted and subscribed: flush queued events. */
  rendererReady(): Promise<IpcResult<void>>;
  getIdentity(): Promise<IpcResult<IdentityInfo>>;
  createRoom(args: { displayName: string }): Promise<IpcResult<RoomInfo>>;
  joinRoom(args: { ticket: string; displayName: string }): Promise<IpcResult<RoomInfo>>;
  leaveRoom(): Promise<IpcResult<void>>;
  setDisplayName(args: { displayName: string }): Promise<IpcResult<void>>;
  /** Send a chat message; resolves with its local echo. */
  sendChat(args: { text: string }): Promise<IpcResult<ChatMessageInfo>>;
  /** A fresh ticket naming this peer and other live peers. */
  getTicket(): Promise<IpcResult<string>>;
  /** Forget this device's identity and make a new one (a new peer id); refused while in a room. */
  resetIdentity(): Promise<IpcResult<IdentityInfo>>;
  /** Answer a {@link MainToRenderer.screenShareRequested}: the chosen source, or null to cancel. */
  pickScreenSource(args: { requestId: string; sourceId: string | null }): Promise<IpcResult<void>>;
  /**
   * Desktop app: open the media link (shared/media/link.ts) over a new MessagePort, which arrives as a
   * window message {@link MEDIA_PORT_MESSAGE} before this resolves. Browser mode refuses it: there the page
   * dials the link's WebSocket itself.
   */
  openMediaLink(): Promise<IpcResult<void>>;
  getSettings(): Promise<IpcResult<AppSettings>>;
  /** Change some settings; relay, STUN and mDNS changes apply from the next room joined. */
  updateSettings(patch: SettingsPatch): Promise<IpcResult<AppSettings>>;
}

/** Events main pushes to the UI, named as facts. */
export interface MainToRenderer {
  connectionChanged(state: ConnectionState): void;
  peerJoined(p: ParticipantInfo): void;
  peerUpdated(p: ParticipantInfo): void;
  peerLeft(p: { peerId: string; reason: string }): void;
  chatReceived(m: ChatMessageInfo): void;
  /** A participant's broadcast is being received (its catalog arrived): its tile can go live. */
  broadcastSubscribed(p: { peerId: string; name: string }): void;
  /** A participant's broadcast is no longer received (unpublished, or the connection to it ended). */
  broadcastEnded(p: { peerId: string; name: string; reason: string }): void;
  /** A ticket arrived from outside the UI (command line, `liverooms://` link): offer to join it. */
  ticketOpened(p: { ticket: string }): void;
  /** The page asked to share its screen: let the user pick one of these sources. */
  screenShareRequested(p: { requestId: string; sources: ScreenSourceInfo[] }): void;
  /** How we reach a participant changed (lost and reconnecting, back, moved to a direct path). */
  peerLinkChanged(p: { peerId: string; link: PeerLink }): void;
}

/** Command names. */
export type CommandName = keyof RendererToMain;

// Compile-time checks: the schemas and the interface name the same commands, with the same argument types.
type SchemaArgs = { [K in CommandName]: z.infer<(typeof CommandArgs)[K]> };
type SameKeys = [keyof typeof CommandArgs] extends [CommandName] ? ([CommandName] extends [keyof typeof CommandArgs] ? true : false) : false;
type ArgsMatch = { [K in CommandName]: [SchemaArgs[K]] extends [Parameters<RendererToMain[K]>] ? ([Parameters<RendererToMain[K]>] extends [SchemaArgs[K]] ? true : false) : false };
type AllTrue<T> = false extends T ? never : true;
const _sameCommands: AllTrue<SameKeys> = true;
const _sameArgs: AllTrue<ArgsMatch[CommandName]> = true;

/** Event names. */
export type EventName = keyof MainToRenderer;
/** Every command name, for transports that route by name. */
export const COMMAND_NAMES = Object.keys(CommandArgs) as CommandName[];
/** Every event name. */
export const EVENT_NAMES = Object.keys({
  connectionChanged: true,
  peerJoined: true,
  peerUpdated: true,
  peerLeft: true,
  chatReceived: true,
  broadcastSubscribed: true,
  broadcastEnded: true,
  ticketOpened: true,
  screenShareRequested: true,
  peerLinkChanged: true,
} satisfies Record<EventName, true>) as readonly EventName[];

/** An event as one message: what browser mode sends over its WebSocket and main queues before ready. */
export type EventMessage = { [K in EventName]: { event: K; payload: Parameters<MainToRenderer[K]>[0] } }[EventName];

/** Subscribe to one event; returns the unsubscribe function. */
export type Subscribe = <K extends EventName>(event: K, listener: MainToRenderer[K]) => () => void;

/** What the UI talks to: every command plus event subscription (Electron preload or the browser-mode socket). */
export type AppApi = RendererToMain & { on: Subscribe };
