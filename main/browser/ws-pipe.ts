/**
 * The media link's WebSocket (a `ws` socket accepted at `/moq`) as a message pipe for pipeSocket, which
 * gives qmux its socket shape and coalesces outgoing frames (shared/media/link.ts).
 */
import type { WebSocket } from "ws";
import type { MessagePipe } from "../../shared/media/link.ts";

/** A pipe over `ws`; a text message is handed on as a string, which the link refuses. */
export function wsPipe(ws: WebSocket): MessagePipe {
  let deliver: ((data: unknown) => void) | undefined;
  const early: unknown[] = [];
  ws.on("message", (data, isBinary) => {
    // Any string is refused by pipeSocket, whatever it says.
    const msg = isBinary ? (Array.isArray(data) ? Buffer.concat(data) : data) : "(text message)";
    if (deliver === undefined) early.push(msg);
    else deliver(msg);
  });
  return {
    send: (data) => ws.send(data, { binary: true }),
    onMessage: (fn) => {
      deliver = fn;
      for (const m of early.splice(0)) fn(m);
    },
    onClose: (fn) => ws.on("close", fn),
    close: () => ws.close(),
  };
}
