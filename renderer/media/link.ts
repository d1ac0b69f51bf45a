/**
 * The renderer's end of the media link (shared/media/link.ts): a MoQ session to main, as the client.
 * Desktop app: a MessagePort main sends through the preload. Browser mode: the server's `/moq` WebSocket,
 * authenticated like `/ws` (token in the URL, or the page's HttpOnly cookie after a reload).
 */
import * as Moq from "@moq/net";
import Session from "@moq/qmux";
import type { AppApi } from "../../shared/ipc.ts";
import { MEDIA_PORT_MESSAGE } from "../../shared/ipc-channels.ts";
import { QMUX_CONFIG } from "../../shared/media/qmux-config.ts";
import { LINK_SOCKET_PATH, LINK_SUBPROTOCOL, pipeSocket, type MessagePipe } from "../../shared/media/link.ts";


function domPortPipe(port: MessagePort): MessagePipe {
  return {
    send: (data) => {
      // Copy into a buffer of our own and hand it over (transfer, not clone): qmux may reuse its buffers.
      const copy = data.slice();
      port.postMessage(copy, [copy.buffer]);
    },
    onMessage: (fn) => {
      port.onmessage = (e: MessageEvent) => fn(e.data);
      port.start();
    },
    // Chromium fires "close" on a port whose other end is gone.
    onClose: (fn) => port.addEventListener("close", fn),
    close: () => port.close(),
  };
}

/** Wait for the port the preload forwards, after asking main for one. */
async function electronPort(win: Window, api: AppApi, signal: AbortSignal): Promise<MessagePort> {
  const got = Promise.withResolvers<MessagePort>();
  const onMessage = (e: MessageEvent): void => {
    if (e.source !== win || e.data !== MEDIA_PORT_MESSAGE) return;
    const port = e.ports[0];
    if (port !== undefined) got.resolve(port);
  };
  win.addEventListener("message", onMessage);
  const abort = (): void => got.reject(signal.reason);
  signal.addEventListener("abort", abort, { once: true });
  try {
    const r = await api.openMediaLink();
    if (!r.ok) throw new Error(r.error.message);
    return await got.promise;
  } finally {
    win.removeEventListener("message", onMessage);
    signal.removeEventListener("abort", abort);
  }
}

/** How to reach main. */
export interface LinkTarget {
  win: Window;
  api: AppApi;
  /** Browser mode's session token, when the page still has it (otherwise the cookie authenticates). */
  token: string | undefined;
}

/** Open the media link. */
export async function openMediaLink(target: LinkTarget, opts: { signal?: AbortSignal } = {}): Promise<Moq.Connection.Established> {
  const signal = opts.signal ?? AbortSignal.timeout(15_000);
  const { win } = target;
  let qmux: Session;
  let url: URL;
  if (win.api !== undefined) {
    const port = await electronPort(win, target.api, signal);
    url = new URL("liverooms://main/media");
    qmux = new Session(pipeSocket(domPortPipe(port), url.href), { config: QMUX_CONFIG });
  } else {
    const scheme = win.location.protocol === "https:" ? "wss" : "ws";
    const query = target.token === undefined ? "" : `?token=${encodeURIComponent(target.token)}`;
    url = new URL(`${scheme}://${win.location.host}${LINK_SOCKET_PATH}${query}`);
    qmux = new Session(url, { protocols: [LINK_SUBPROTOCOL], requireProtocol: true, config: QMUX_CONFIG });
  }
  // `connect` with our own transport skips the WebTransport race (there is no WebTransport to main). It reads
  // the negotiated protocol synchronously, which qmux knows only once ready.
  await qmux.ready;
  return Moq.Connection.connect(url, { transport: qmux as unknown as WebTransport, signal });
}
