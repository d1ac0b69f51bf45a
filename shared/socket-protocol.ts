/**
 * Browser mode's WebSocket framing of the {@link RendererToMain} / {@link MainToRenderer} contract:
 * the page sends `{id, method, args}`, the server answers `{id, result}` and pushes events as
 * {@link EventMessage}s. One JSON object per text frame.
 */
import { z } from "zod";
import type { EventMessage, IpcResult } from "./ipc.ts";

/** Largest frame either side accepts; commands are small, chat is capped at 4 KiB. */
export const MAX_FRAME_BYTES = 64 * 1024;

/** A command call from the page (validated on the server: the page is a client like any other). */
export const SocketRequest = z.strictObject({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  method: z.string().max(64),
  args: z.array(z.unknown()).max(8),
});
/** A command call from the page. */
export type SocketRequest = z.infer<typeof SocketRequest>;

/** The answer to one {@link SocketRequest}. */
export interface SocketResponse {
  id: number;
  result: IpcResult<unknown>;
}

/** Anything the server sends. */
export type SocketMessage = SocketResponse | EventMessage;

/** Close codes the server uses beyond the standard ones, so the page can tell the user why. */
export const CLOSE_CODES = {
  /** Another tab attached to the same server; only one UI drives a room. */
  replaced: 4000,
  /** The server is shutting down. */
  shutdown: 4001,
} as const;
