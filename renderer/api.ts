/**
 * The one way the UI reaches the app core: Electron's preload (`window.api`) when there is one, otherwise
 * browser mode's WebSocket. Both speak {@link AppApi}; nothing else in the renderer knows which.
 */
import type { AppApi } from "../shared/ipc.ts";
import { createSocketApi, type TransportSource } from "./socket-api.ts";

declare global {
  interface Window {
    /** Exposed by preload/index.ts under Electron. */
    api?: AppApi;
  }
}

/** The core connection the UI uses. */
export interface CoreConnection {
  api: AppApi;
  /** Browser mode only: the socket's state (Electron IPC cannot drop). */
  transport: TransportSource | undefined;
}

/** Connect to the core from this window. */
export function connectToCore(win: Window, token: string | undefined): CoreConnection {
  if (win.api !== undefined) return { api: win.api, transport: undefined };
  const scheme = win.location.protocol === "https:" ? "wss" : "ws";
  // Without a token in hand (a reload), the HttpOnly cookie set with the page authenticates the socket.
  const query = token === undefined ? "" : `?token=${encodeURIComponent(token)}`;
  return createSocketApi({ url: `${scheme}://${win.location.host}/ws${query}` });
}
