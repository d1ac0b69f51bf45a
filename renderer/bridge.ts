/**
 * Main's events → store actions. Started once at startup, outside React; it is the only subscriber.
 * It reaches the store through a narrow port of actions (Signal's CallingReduxInterface idea).
 */
import type { AppApi } from "../shared/ipc.ts";
import type { TransportSource } from "./socket-api.ts";
import type { AppActions } from "./store/index.ts";

/** The actions the bridge may call. */
export type BridgePort = Pick<
  AppActions,
  | "connectionChanged"
  | "peerJoined"
  | "peerUpdated"
  | "peerLeft"
  | "peerLinkChanged"
  | "chatReceived"
  | "broadcastSubscribed"
  | "broadcastEnded"
  | "ticketOpened"
  | "screenShareRequested"
  | "transportChanged"
  | "coreReattached"
  | "identityLoaded"
  | "settingsLoaded"
  | "commandFailed"
>;

/** Subscribe to every event, then tell main we are ready. Returns unsubscribe. */
export function startBridge(api: AppApi, port: BridgePort, transport?: TransportSource): () => void {
  const ready = async (): Promise<void> => {
    const r = await api.rendererReady();
    if (!r.ok) return port.commandFailed(r.error.message);
    const id = await api.getIdentity();
    if (id.ok) port.identityLoaded(id.value);
    else port.commandFailed(id.error.message);
    const settings = await api.getSettings();
    if (settings.ok) port.settingsLoaded(settings.value);
    else port.commandFailed(settings.error.message);
  };
  const offs = [
    api.on("connectionChanged", (s) => port.connectionChanged(s)),
    api.on("peerJoined", (p) => port.peerJoined(p)),
    api.on("peerUpdated", (p) => port.peerUpdated(p)),
    api.on("peerLeft", (p) => port.peerLeft(p)),
    api.on("peerLinkChanged", (p) => port.peerLinkChanged(p)),
    api.on("chatReceived", (m) => port.chatReceived(m)),
    api.on("broadcastSubscribed", (b) => port.broadcastSubscribed(b)),
    api.on("broadcastEnded", (b) => port.broadcastEnded(b)),
    api.on("ticketOpened", ({ ticket }) => port.ticketOpened(ticket)),
    api.on("screenShareRequested", (req) => port.screenShareRequested(req)),
  ];
  let everOpen = false;
  if (transport !== undefined) {
    offs.push(
      transport.subscribe((state) => {
        port.transportChanged(state);
        if (state !== "open") return;
        // The core replays its state to a socket that reconnects; start from a clean slate.
        if (everOpen) {
          port.coreReattached();
          void ready();
        }
        everOpen = true;
      }),
    );
  }
  void ready();
  return () => offs.forEach((off) => off());
}
