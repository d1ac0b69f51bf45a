/**
 * The window's preload: the only file that touches ipcRenderer. Exposes one function per command and
 * `on(event, listener) → unsubscribe`, never ipcRenderer itself. Bundled as CommonJS (sandboxed preload).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import type { AppApi, CommandName, SettingsPatch, EventMessage, EventName, MainToRenderer, RendererToMain } from "../shared/ipc.ts";
import { EVENT_CHANNEL, INVOKE_CHANNEL, MEDIA_PORT_CHANNEL, MEDIA_PORT_MESSAGE } from "../shared/ipc-channels.ts";

const listeners = new Map<EventName, Set<(payload: never) => void>>();
ipcRenderer.on(EVENT_CHANNEL, (_e: IpcRendererEvent, msg: EventMessage) => {
  for (const l of listeners.get(msg.event) ?? []) (l as (p: unknown) => void)(msg.payload);
});

// A MessagePort cannot cross contextBridge; Electron's documented route is a window message to the page.
// It goes to our own origin only, and carries nothing but the port main made for this page load.
ipcRenderer.on(MEDIA_PORT_CHANNEL, (e: IpcRendererEvent) => {
  window.postMessage(MEDIA_PORT_MESSAGE, window.location.origin, [...e.ports]);
});

const invoke = <K extends CommandName>(method: K, ...args: Parameters<RendererToMain[K]>): ReturnType<RendererToMain[K]> =>
  ipcRenderer.invoke(INVOKE_CHANNEL, method, args) as ReturnType<RendererToMain[K]>;

const api = {
  rendererReady: () => invoke("rendererReady"),
  getIdentity: () => invoke("getIdentity"),
  createRoom: (args: { displayName: string }) => invoke("createRoom", args),
  joinRoom: (args: { ticket: string; displayName: string }) => invoke("joinRoom", args),
  leaveRoom: () => invoke("leaveRoom"),
  setDisplayName: (args: { displayName: string }) => invoke("setDisplayName", args),
  sendChat: (args: { text: string }) => invoke("sendChat", args),
  getTicket: () => invoke("getTicket"),
  resetIdentity: () => invoke("resetIdentity"),
  pickScreenSource: (args: { requestId: string; sourceId: string | null }) => invoke("pickScreenSource", args),
  openMediaLink: () => invoke("openMediaLink"),
  getSettings: () => invoke("getSettings"),
  updateSettings: (patch: SettingsPatch) => invoke("updateSettings", patch),
  on<K extends EventName>(event: K, listener: MainToRenderer[K]): () => void {
    let set = listeners.get(event);
    if (set === undefined) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  },
} satisfies AppApi;

contextBridge.exposeInMainWorld("api", api);

/** What the renderer sees as `window.api`. */
export type Api = typeof api;
