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
      // Transferred, not cloned: pipeSocket hands over buffers of its own (copy anything else).
      const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
      port.postMessage(own, [own.buffer]);
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

/**
 * A message pipe over a browser WebSocket. pipeSocket registers its handler as it is created, in the task
 * that saw `open`, so no message can come before it.
 */
function webSocketPipe(ws: WebSocket): MessagePipe {
  ws.binaryType = "arraybuffer";
  return {
    send: (data) => ws.send(data),
    onMessage: (fn) => (ws.onmessage = (e: MessageEvent) => fn(e.data)),
    onClose: (fn) => ws.addEventListener("close", fn),
    close: () => ws.close(),
  };
}

/** Open `url` with our subprotocol; rejects if the server picks another or the socket fails first. */
async function openWebSocket(url: URL, signal: AbortSignal): Promise<WebSocket> {
  const ws = new WebSocket(url, [LINK_SUBPROTOCOL]);
  const opened = Promise.withResolvers<void>();
  ws.onopen = () => opened.resolve();
  ws.onclose = (e) => opened.reject(new Error(`media link refused (${e.code}${e.reason === "" ? "" : `: ${e.reason}`})`));
  const abort = (): void => {
    ws.close();
    opened.reject(signal.reason);
  };
  signal.addEventListener("abort", abort, { once: true });
  try {
    await opened.promise;
  } finally {
    signal.removeEventListener("abort", abort);
    ws.onopen = ws.onclose = null;
  }
  if (ws.protocol !== LINK_SUBPROTOCOL) {
    // A page may close only with 1000 or 3000–4999; 1002 would throw instead of the error below.
    ws.close(1000);
    throw new Error(`media link: expected subprotocol ${LINK_SUBPROTOCOL}, got "${ws.protocol}"`);
  }
  return ws;
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
    // Our own socket rather than qmux's, so outgoing frames are coalesced (pipeSocket).
    qmux = new Session(pipeSocket(webSocketPipe(await openWebSocket(url, signal)), url.href), { config: QMUX_CONFIG });
  }
  // `connect` with our own transport skips the WebTransport race (there is no WebTransport to main). It reads
  // the negotiated protocol synchronously, which qmux knows only once ready.
  await qmux.ready;
  return Moq.Connection.connect(url, { transport: qmux as unknown as WebTransport, signal });
}
