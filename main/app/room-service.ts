/**
 * The app's core service: implements the UI contract ({@link RendererToMain}) on top of the room core,
 * for both the Electron shell and browser mode. Plain Node: no Electron here.
 *
 * - One room at a time; room lifecycle commands (create, join, leave, close) run one after another.
 * - Every command's arguments are validated against the contract's schemas, whoever calls it.
 * - Events reach the UI through an {@link EventOutbox} that queues them until `rendererReady`.
 * - The display name is remembered in the data directory.
 */
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import type { PrivateKey } from "@libp2p/interface";
import type { AppSettings, ChatMessageInfo, CommandName, ConnectionState, EventMessage, IdentityInfo, IpcResult, RendererToMain, RoomInfo, SettingsPatch } from "../../shared/ipc.ts";
import { RoomTicket } from "../../shared/ticket.ts";
import type { Log } from "../log.ts";
import { loadOrCreateIdentity, resetIdentity } from "../net/identity.ts";
import { DEFAULT_LISTEN } from "../net/node.ts";
import { parseCommand } from "./commands.ts";
import { AppError, fail, ok, toIpcError } from "./errors.ts";
import { EventOutbox, type EventSink } from "./outbox.ts";
import type { MediaLink } from "./media-link.ts";
import { RoomSession, type MediaFactory, type RoomTiming } from "./room-session.ts";
import { loadSettings, saveSettings, type Settings } from "./settings.ts";
import { parseRelayAddr } from "../net/relay-client.ts";
import { suggestedNameForThisUser } from "./suggest-name.ts";

/** How to open the service. */
export interface RoomServiceInit {
  dataDir: string;
  log: Log;
  /** libp2p listen addresses for room nodes (default: all IPv4 interfaces, random port). */
  listen?: string[];
  /** Room timing overrides (tests). */
  timing?: RoomTiming;
  /** See {@link LOST_PEER_WINDOW_MS}. */
  lostPeerWindowMs?: number;
  /** The media transport for each room (main/moq); without it rooms have presence but no media or chat. */
  media?: MediaFactory;
}

/** Answers a screen-source pick; the Electron shell provides one, browser mode has none. */
export type ScreenPicker = (args: { requestId: string; sourceId: string | null }) => Promise<IpcResult<void>>;

/** Chat messages kept for a UI that attaches mid-session. */
export const CHAT_LOG_LIMIT = 500;

type Handlers = { [K in CommandName]: (...args: Parameters<RendererToMain[K]>) => ReturnType<RendererToMain[K]> };

/** The UI contract over one room at a time. */
export class RoomService implements RendererToMain {
  readonly #init: RoomServiceInit;
  #privateKey: PrivateKey;
  #peerId: string;
  readonly #outbox: EventOutbox;
  readonly #chat: ChatMessageInfo[] = [];
  #settings: Settings;
  #session: RoomSession | undefined;
  #connection: ConnectionState = "idle";
  #pendingTicket: string | undefined;
  #lifecycle: Promise<unknown> = Promise.resolve();
  #settingsQueue: Promise<unknown> = Promise.resolve();
  #screenPicker: ScreenPicker | undefined;
  #mediaLinkOpener: (() => Promise<IpcResult<void>>) | undefined;
  /** The UI's media link (one UI drives the room; a newer link replaces the older). */
  #link: MediaLink | undefined;
  #closed = false;

  private constructor(init: RoomServiceInit, privateKey: PrivateKey, settings: Settings) {
    this.#init = init;
    this.#privateKey = privateKey;
    this.#peerId = peerIdFromPrivateKey(privateKey).toString();
    this.#settings = settings;
    this.#outbox = new EventOutbox(() => this.#snapshot());
  }

  /** Load (or create) the identity and settings in `dataDir`. */
  static async open(init: RoomServiceInit): Promise<RoomService> {
    const key = await loadOrCreateIdentity(init.dataDir);
    return new RoomService(init, key, await loadSettings(init.dataDir, init.log));
  }

  /** Where the room stands. */
  get connection(): ConnectionState {
    return this.#connection;
  }

  /** Connect a UI; it gets the current state once it calls `rendererReady`. Returns detach. */
  attach(sink: EventSink): () => void {
    return this.#outbox.attach(sink);
  }

  /**
   * Use `link` as the UI's media link (camera and screen in, remote broadcasts out) until it closes or a
   * newer one replaces it.
   */
  attachMediaLink(link: MediaLink): void {
    const old = this.#link;
    this.#link = link;
    this.#session?.bindLink(link);
    old?.close();
    void link.closed.then(() => {
      if (this.#link !== link) return;
      this.#link = undefined;
      this.#session?.bindLink(undefined);
    });
  }

  /** Push a shell-level event (e.g. the screen picker's request) through the ready queue. */
  emit(ev: EventMessage): void {
    this.#outbox.emit(ev);
  }

  /** A ticket arrived from outside the UI (argv, a `liverooms://` link); the UI offers to join it. */
  offerTicket(ticket: string): void {
    this.#pendingTicket = ticket;
    this.emit({ event: "ticketOpened", payload: { ticket } });
  }

  /** Install the handler for `pickScreenSource` (the Electron shell's source picker). */
  setScreenPicker(picker: ScreenPicker | undefined): void {
    this.#screenPicker = picker;
  }

  /** Run a command from an untrusted transport: validates name and arguments, never throws. */
  async invoke(method: unknown, args: unknown): Promise<IpcResult<unknown>> {
    const parsed = parseCommand(method, args);
    if (!parsed.ok) return parsed;
    const { method: name, args: valid } = parsed.value;
    if (this.#closed && name !== "rendererReady") return fail("not-available", "the app is shutting down");
    try {
      // One cast at the dispatch point: `name` and `valid` were checked together by parseCommand.
      return await (this.#handlers[name] as (...a: unknown[]) => Promise<IpcResult<unknown>>)(...valid);
    } catch (err) {
      const e = toIpcError(err);
      if (!(err instanceof AppError)) this.#init.log.warn(`${name} failed`, { error: e.message });
      return { ok: false, error: e };
    }
  }

  rendererReady(): Promise<IpcResult<void>> {
    return this.#call("rendererReady", []);
  }
  getIdentity(): Promise<IpcResult<IdentityInfo>> {
    return this.#call("getIdentity", []);
  }
  createRoom(args: { displayName: string }): Promise<IpcResult<RoomInfo>> {
    return this.#call("createRoom", [args]);
  }
  joinRoom(args: { ticket: string; displayName: string }): Promise<IpcResult<RoomInfo>> {
    return this.#call("joinRoom", [args]);
  }
  leaveRoom(): Promise<IpcResult<void>> {
    return this.#call("leaveRoom", []);
  }
  setDisplayName(args: { displayName: string }): Promise<IpcResult<void>> {
    return this.#call("setDisplayName", [args]);
  }
  sendChat(args: { text: string }): Promise<IpcResult<ChatMessageInfo>> {
    return this.#call("sendChat", [args]);
  }
  getTicket(): Promise<IpcResult<string>> {
    return this.#call("getTicket", []);
  }
  resetIdentity(): Promise<IpcResult<IdentityInfo>> {
    return this.#call("resetIdentity", []);
  }
  pickScreenSource(args: { requestId: string; sourceId: string | null }): Promise<IpcResult<void>> {
    return this.#call("pickScreenSource", [args]);
  }
  openMediaLink(): Promise<IpcResult<void>> {
    return this.#call("openMediaLink", []);
  }
  getSettings(): Promise<IpcResult<AppSettings>> {
    return this.#call("getSettings", []);
  }
  updateSettings(patch: SettingsPatch): Promise<IpcResult<AppSettings>> {
    return this.#call("updateSettings", [patch]);
  }

  /** Install the handler for `openMediaLink` (the Electron shell's MessagePort); browser mode has none. */
  setMediaLinkOpener(opener: (() => Promise<IpcResult<void>>) | undefined): void {
    this.#mediaLinkOpener = opener;
  }

  /** Leave the room (if any) and refuse further commands. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#serial(() => this.#leave());
  }

  /** Typed entry for in-process callers: the same validation as {@link invoke}. */
  #call<K extends CommandName>(name: K, args: unknown[]): ReturnType<RendererToMain[K]> {
    return this.invoke(name, args) as ReturnType<RendererToMain[K]>;
  }

  readonly #handlers: Handlers = {
    rendererReady: () => {
      this.#outbox.ready();
      return Promise.resolve(ok(undefined));
    },
    getIdentity: () => Promise.resolve(ok(this.#identity())),
    resetIdentity: () =>
      this.#serial(async () => {
        if (this.#session !== undefined) return fail("in-room", "leave the room before resetting your identity");
        await resetIdentity(this.#init.dataDir);
        this.#privateKey = await loadOrCreateIdentity(this.#init.dataDir);
        this.#peerId = peerIdFromPrivateKey(this.#privateKey).toString();
        this.#init.log.info("identity reset", { peerId: this.#peerId });
        return ok(this.#identity());
      }),
    createRoom: ({ displayName }) => this.#serial(() => this.#enter(RoomTicket.generate(), displayName)),
    joinRoom: ({ ticket, displayName }) => {
      const parsed = RoomTicket.tryParse(ticket);
      if (!parsed.ok) return Promise.resolve(fail("bad-ticket", parsed.error.message));
      return this.#serial(() => this.#enter(parsed.value, displayName));
    },
    leaveRoom: () => this.#serial(async () => ok(await this.#leave())),
    setDisplayName: async ({ displayName }) => {
      await this.#remember(displayName);
      await this.#session?.setDisplayName(displayName);
      return ok(undefined);
    },
    sendChat: async ({ text }) => {
      const s = this.#session;
      if (s === undefined) return fail("not-in-room", "not in a room");
      const echo = await s.sendChat(text);
      this.#rememberChat(echo);
      return ok(echo);
    },
    getTicket: () => {
      const s = this.#session;
      return Promise.resolve(s === undefined ? fail("not-in-room", "not in a room") : ok(s.ticket()));
    },
    pickScreenSource: (args) => this.#screenPicker?.(args) ?? Promise.resolve(fail("not-available", "this app picks screens with the browser's own dialog")),
    openMediaLink: () => this.#mediaLinkOpener?.() ?? Promise.resolve(fail("not-available", "in browser mode the page opens the media link's WebSocket itself")),
    getSettings: () => Promise.resolve(ok(this.#appSettings())),
    updateSettings: (patch) =>
      this.#serialSettings(async () => {
        for (const r of patch.relays ?? []) {
          try {
            parseRelayAddr(r);
          } catch (err) {
            return fail("bad-relay", (err as Error).message);
          }
        }
        const next: Settings = { ...this.#settings };
        if (patch.devices !== undefined) {
          // "" means the system default: forget the choice.
          const merged = { ...this.#settings.devices, ...patch.devices };
          next.devices = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== ""));
        }
        if (patch.relays !== undefined) next.relays = [...new Set(patch.relays)];
        if (patch.stun !== undefined) next.stun = [...new Set(patch.stun)];
        if (patch.mdns !== undefined) next.mdns = patch.mdns;
        this.#settings = next;
        await saveSettings(this.#init.dataDir, next);
        return ok(this.#appSettings());
      }),
  };

  #identity(): IdentityInfo {
    return { peerId: this.#peerId, displayName: this.#settings.displayName, suggestedName: suggestedNameForThisUser(), dataDir: this.#init.dataDir };
  }

  /** Run room lifecycle steps one after another. */
  #serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#lifecycle.then(f);
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  async #enter(ticket: RoomTicket, displayName: string): Promise<IpcResult<RoomInfo>> {
    if (this.#session !== undefined) throw new AppError("already-in-room", "already in a room: leave it first");
    await this.#remember(displayName);
    this.#pendingTicket = undefined;
    this.#setConnection("connecting");
    let session: RoomSession;
    try {
      session = await RoomSession.start({
        privateKey: this.#privateKey,
        listen: this.#init.listen ?? DEFAULT_LISTEN,
        ticket,
        displayName,
        network: { relays: this.#settings.relays ?? [], stun: this.#settings.stun ?? [], mdns: this.#settings.mdns ?? false },
        log: this.#init.log,
        ...(this.#init.timing !== undefined && { timing: this.#init.timing }),
        ...(this.#init.lostPeerWindowMs !== undefined && { lostPeerWindowMs: this.#init.lostPeerWindowMs }),
        ...(this.#init.media !== undefined && { media: this.#init.media }),
        onEvent: (ev) => this.#onRoomEvent(ev),
        onReachability: (state) => {
          if (this.#session === session) this.#setConnection(state);
        },
        onEnded: () => void this.#serial(() => this.#ended(session)),
      });
    } catch (err) {
      this.#setConnection("idle");
      throw err;
    }
    this.#session = session;
    session.bindLink(this.#link);
    this.#setConnection(session.reachability);
    return ok({ ticket: session.ticket(), me: session.me });
  }

  async #leave(): Promise<void> {
    const session = this.#session;
    if (session === undefined) return;
    this.#setConnection("leaving");
    await session.leave();
    this.#session = undefined;
    this.#chat.length = 0;
    this.#setConnection("idle");
  }

  /** The core ended the room on its own. */
  async #ended(session: RoomSession): Promise<void> {
    if (this.#session !== session) return;
    await this.#leave();
  }

  #onRoomEvent(ev: EventMessage): void {
    if (ev.event === "chatReceived") this.#rememberChat(ev.payload);
    this.emit(ev);
  }

  /** Keep a message (ours or received) for a UI that attaches later. */
  #rememberChat(m: ChatMessageInfo): void {
    this.#chat.push(m);
    if (this.#chat.length > CHAT_LOG_LIMIT) this.#chat.shift();
  }

  #appSettings(): AppSettings {
    const s = this.#settings;
    return { devices: { ...s.devices }, relays: [...(s.relays ?? [])], stun: [...(s.stun ?? [])], mdns: s.mdns ?? false };
  }

  /** Settings writes one after another (two quick device changes must not lose one). */
  #serialSettings<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#settingsQueue.then(f);
    this.#settingsQueue = run.catch(() => undefined);
    return run;
  }

  #remember(displayName: string): Promise<void> {
    return this.#serialSettings(async () => {
      if (this.#settings.displayName === displayName) return;
      this.#settings = { ...this.#settings, displayName };
      await saveSettings(this.#init.dataDir, this.#settings);
    });
  }

  #setConnection(state: ConnectionState): void {
    if (state === this.#connection) return;
    this.#connection = state;
    this.emit({ event: "connectionChanged", payload: state });
  }

  /** The current state as events, for a UI attaching now. */
  #snapshot(): EventMessage[] {
    const out: EventMessage[] = [{ event: "connectionChanged", payload: this.#connection }];
    for (const p of this.#session?.participants() ?? []) out.push({ event: "peerJoined", payload: p });
    for (const b of this.#session?.liveBroadcasts() ?? []) out.push({ event: "broadcastSubscribed", payload: b });
    for (const l of this.#session?.links() ?? []) out.push({ event: "peerLinkChanged", payload: l });
    for (const m of this.#chat) out.push({ event: "chatReceived", payload: { ...m } });
    if (this.#pendingTicket !== undefined) out.push({ event: "ticketOpened", payload: { ticket: this.#pendingTicket } });
    return out;
  }
}
