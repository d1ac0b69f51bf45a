/**
 * The desktop app's media link: a MessageChannelMain per page load, one port to the page (through the
 * preload, see preload/index.ts), the other adapted to qmux's socket shape and served as a MediaLink.
 * No TCP port, no token: only our window's page can receive the port.
 */
import { MessageChannelMain, type MessagePortMain, type WebContents } from "electron";
import type { IpcResult } from "../../shared/ipc.ts";
import { MEDIA_PORT_CHANNEL } from "../../shared/ipc-channels.ts";
import { pipeSocket, type MessagePipe } from "../../shared/media/link.ts";
import { ok } from "../app/errors.ts";
import { MediaLink } from "../app/media-link.ts";
import type { RoomService } from "../app/room-service.ts";
import type { Log } from "../log.ts";

function portPipe(port: MessagePortMain): MessagePipe {
  return {
    send: (data) => port.postMessage(data),
    onMessage: (fn) => {
      port.on("message", (e) => fn(e.data));
      port.start();
    },
    onClose: (fn) => port.on("close", fn),
    close: () => port.close(),
  };
}

/** The `openMediaLink` handler for the window showing `contents`. */
export function mediaLinkOpener(contents: WebContents, service: RoomService, log: Log): () => Promise<IpcResult<void>> {
  return () => {
    const { port1, port2 } = new MessageChannelMain();
    contents.postMessage(MEDIA_PORT_CHANNEL, null, [port2]);
    MediaLink.accept(pipeSocket(portPipe(port1), "electron-port:media"), log, { signal: AbortSignal.timeout(10_000) }).then(
      (link) => service.attachMediaLink(link),
      (err: unknown) => {
        log.warn("media link setup failed", { error: String(err) });
        port1.close();
      },
    );
    return Promise.resolve(ok(undefined));
  };
}
