/**
 * The media link's WebSocket (a `ws` socket accepted at `/moq`) as a message pipe for pipeSocket, which
 * gives qmux its socket shape and coalesces outgoing frames (shared/media/link.ts).
 */
import type { WebSocket } from "ws";
import type { MessagePipe } from "../../shared/media/link.ts";

/**
 * A pipe over `ws`; a text message is handed on as a string, which the link refuses. pipeSocket registers
 * its handler as it is created, in the same task as the upgrade, so no message can come before it.
 */
export function wsPipe(ws: WebSocket): MessagePipe {
  return {
    send: (data) => ws.send(data, { binary: true }),
    // Any string is refused by pipeSocket, whatever it says.
    onMessage: (fn) => void ws.on("message", (data, isBinary) => fn(isBinary ? (Array.isArray(data) ? Buffer.concat(data) : data) : "(text message)")),
    onClose: (fn) => ws.on("close", fn),
    close: () => ws.close(),
  };
}
