/**
 * Browser mode: the app service in this Node process, its UI in any browser on this machine.
 *
 * Listens on 127.0.0.1 only (random port by default), serves the built renderer and two WebSocket
 * endpoints: `/ws` speaking the UI contract, and `/moq`, the media link (MoQ over qmux; see
 * shared/media/link.ts). Every request needs the session token and a loopback
 * Host; a foreign Origin is refused (see auth.ts). One tab drives the room at a time: a newer tab
 * takes over and the older one is told why.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { LINK_SOCKET_PATH, LINK_SUBPROTOCOL, MAX_LINK_RECORD_BYTES, pipeSocket } from "../../shared/media/link.ts";
import { CLOSE_CODES, MAX_FRAME_BYTES } from "../../shared/socket-protocol.ts";
import { MediaLink } from "../app/media-link.ts";
import { contentSecurityPolicy } from "../app/csp.ts";
import type { RoomService } from "../app/room-service.ts";
import type { Log } from "../log.ts";
import { checkRequest, cookieName, newToken, tokenOf, type Refusal } from "./auth.ts";
import { bridgeSocket } from "./socket.ts";
import { wsPipe } from "./ws-pipe.ts";
import { COMMON_HEADERS, serveStatic } from "./static.ts";

/** Where the WebSocket endpoint lives. */
export const SOCKET_PATH = "/ws";

/** How to start the server. */
export interface BrowserServerInit {
  service: RoomService;
  /** The built renderer (out/renderer). */
  staticDir: string;
  log: Log;
  /** TCP port; 0 (default) lets the OS choose. */
  port?: number;
  /** Fixed token (tests); default a fresh random one. */
  token?: string;
}

/** A running server. */
export interface BrowserServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  /** Close every tab's socket and stop listening. */
  close(): Promise<void>;
}

/** Start serving on 127.0.0.1. */
export async function startBrowserServer(init: BrowserServerInit): Promise<BrowserServer> {
  const token = init.token ?? newToken();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  // The media link speaks one subprotocol; a client offering none of ours is refused in the handshake.
  const links = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_LINK_RECORD_BYTES,
    handleProtocols: (offered) => (offered.has(LINK_SUBPROTOCOL) ? LINK_SUBPROTOCOL : false),
  });
  let port = 0;
  let current: WebSocket | undefined;

  const http = createServer((req, res) => {
    void handleHttp(req, res).catch((err: unknown) => {
      init.log.warn("request failed", { url: req.url, error: String(err) });
      if (!res.headersSent) res.writeHead(500, COMMON_HEADERS);
      res.end();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = checkRequest(req, { token, port, requireOrigin: false });
    if (refused !== undefined) {
      init.log.debug("refused request", { url: redact(req.url), reason: refused.reason });
      res.writeHead(refused.status, { ...COMMON_HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end(`${refused.reason}\n`);
      return;
    }
    await serveStatic(init.staticDir, req, res, (file) => {
      if (!file.endsWith(".html")) return {};
      const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]) };
      // The page arrived with the token in its URL: let its scripts and styles (and reloads) in without it.
      if (tokenOf(req, port) !== undefined) headers["Set-Cookie"] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      return headers;
    });
  }

  http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const refused: Refusal | undefined =
      path !== SOCKET_PATH && path !== LINK_SOCKET_PATH ? { status: 403, reason: "no such endpoint" } : checkRequest(req, { token, port, requireOrigin: true });
    if (refused !== undefined) {
      init.log.debug("refused upgrade", { url: redact(req.url), reason: refused.reason });
      socket.end(`HTTP/1.1 ${refused.status} ${refused.status === 401 ? "Unauthorized" : "Forbidden"}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    if (path === LINK_SOCKET_PATH) {
      links.handleUpgrade(req, socket, head, (ws) => {
        if (ws.protocol !== LINK_SUBPROTOCOL) {
          ws.close(1002, `expected subprotocol ${LINK_SUBPROTOCOL}`);
          return;
        }
        // Through pipeSocket (not qmux's own WebSocket handling) so outgoing frames are coalesced.
        MediaLink.accept(pipeSocket(wsPipe(ws), `ws-link:${LINK_SOCKET_PATH}`), init.log, { signal: AbortSignal.timeout(10_000) }).then(
          (link) => init.service.attachMediaLink(link),
          (err: unknown) => {
            init.log.warn("media link setup failed", { error: String(err) });
            ws.terminate();
          },
        );
      });
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      current?.close(CLOSE_CODES.replaced, "the room was opened in another tab");
      current = ws;
      ws.on("close", () => {
        if (current === ws) current = undefined;
      });
      bridgeSocket(ws, init.service, init.log);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(init.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const ws of sockets.clients) ws.close(CLOSE_CODES.shutdown, "the app is shutting down");
      for (const ws of links.clients) ws.close(CLOSE_CODES.shutdown, "the app is shutting down");
      sockets.close();
      links.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A URL for logs, without its token. */
function redact(url: string | undefined): string {
  return (url ?? "").replace(/token=[^&]*/g, "token=…");
}
