/** Electron IPC channel names, shared by main/electron/ipc.ts and preload/index.ts (no other imports: the preload stays tiny). */

/** Renderer → main: `invoke(INVOKE_CHANNEL, method, args)` resolving to an IpcResult. */
export const INVOKE_CHANNEL = "liverooms:invoke";
/** Main → renderer: one EventMessage per send. */
export const EVENT_CHANNEL = "liverooms:event";
/** Main → preload: the media link's MessagePort (`webContents.postMessage`, one port per page load). */
export const MEDIA_PORT_CHANNEL = "liverooms:media-port";
/** Preload → page: the window message carrying that port (Electron's documented way past context isolation). */
export const MEDIA_PORT_MESSAGE = "liverooms:media-port";
