/**
 * One browser tab's WebSocket, bridged to the app service: requests in, results and events out.
 * The page is untrusted: frames are size-capped by the server, parsed defensively, and the command
 * itself is validated by the service.
 */
import type { RawData, WebSocket } from "ws";
import type { EventMessage } from "../../shared/ipc.ts";
import { SocketRequest, type SocketResponse } from "../../shared/socket-protocol.ts";
import type { Log } from "../log.ts";
import type { RoomService } from "../app/room-service.ts";

/** Close codes from RFC 6455 we use. */
const POLICY_VIOLATION = 1008;
const UNSUPPORTED_DATA = 1003;

/** Serve one connected tab until it closes. */
export function bridgeSocket(ws: WebSocket, service: RoomService, log: Log): void {
  const send = (msg: SocketResponse | EventMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const detach = service.attach(send);
  ws.on("close", detach);
  ws.on("message", (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      ws.close(UNSUPPORTED_DATA, "text frames only");
      return;
    }
    let req: SocketRequest;
    try {
      req = SocketRequest.parse(JSON.parse(rawText(data)));
    } catch {
      log.warn("closing socket after a malformed request");
      ws.close(POLICY_VIOLATION, "malformed request");
      return;
    }
    void service.invoke(req.method, req.args).then((result) => send({ id: req.id, result }));
  });
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}
