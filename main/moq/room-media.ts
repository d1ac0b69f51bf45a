/** The room's media transport (main/room/media-port.ts `RoomMedia`) is a Live instance on the node. */
import type { Libp2p } from "@libp2p/interface";
import type { Log } from "../log.ts";
import { createLive, type Live, type LiveInit } from "./live.ts";

/** Start the live media layer for a room peer. */
export function createRoomMedia(node: Libp2p, log: Log, init: Omit<LiveInit, "log"> = {}): Promise<Live> {
  return createLive(node, { ...init, log });
}
