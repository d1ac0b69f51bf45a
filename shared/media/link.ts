/**
 * The media link between the UI and main: one MoQ session (moq-lite-05 on qmux), the UI being the client.
 *
 * Layout:
 * - the UI publishes `camera` and `screen` (hang broadcasts without chat; main adds the chat track and
 *   relays them to the room's peers: encode once, fan out);
 * - main publishes every remote broadcast it receives as `peers/<peerId>/<name>`, before it tells the UI
 *   (`broadcastSubscribed`), so the UI can consume the path at once.
 *
 * Transport: a loopback WebSocket carrying the session token in browser mode; an Electron MessagePort in
 * the desktop app (no TCP port at all), adapted here to the socket shape qmux takes. Each message is one
 * QMux record: the frames qmux wrote within one task, coalesced (see {@link pipeSocket}).
 */

import { Coalescer, QMUX_RECORD_BYTES } from "./coalesce.ts";

/** The negotiated protocol both qmux ends assume: QMux draft-02 carrying moq-lite-05. */
export const LINK_SUBPROTOCOL = "qmux-02.moq-lite-05";

/** Where the WebSocket endpoint lives in browser mode. */
export const LINK_SOCKET_PATH = "/moq";

/** Largest qmux record either end accepts on the link (the qmux default frame sizes fit well within). */
export const MAX_LINK_RECORD_BYTES = 4 * 1024 * 1024;

/** Coalescing limit of the link's messages (see shared/media/coalesce.ts). */
export const LINK_COALESCE_BYTES = QMUX_RECORD_BYTES;

/** Broadcasts the UI publishes. */
export const LOCAL_BROADCASTS = ["camera", "screen"] as const;
/** A broadcast the UI publishes. */
export type LocalBroadcastName = (typeof LOCAL_BROADCASTS)[number];

/** Whether the UI may publish `name`. */
export function isLocalBroadcastName(name: string): name is LocalBroadcastName {
  return (LOCAL_BROADCASTS as readonly string[]).includes(name);
}

/** The link path of a remote peer's broadcast. */
export function remotePath(peerId: string, name: string): string {
  return `peers/${peerId}/${name}`;
}

/** Message passing as both MessagePort flavours offer it (DOM `MessagePort`, Electron `MessagePortMain`). */
export interface MessagePipe {
  send(data: Uint8Array): void;
  /** Register the message handler (called once) and start delivery. */
  onMessage(fn: (data: unknown) => void): void;
  /** Register a handler for the other end going away, where the port can tell. */
  onClose(fn: () => void): void;
  close(): void;
}

/** Stream-shaped records over a pipe: what @moq/qmux accepts as a socket (`WebSocketStreamLike`). */
export interface PipeSocket {
  readonly url: string;
  readonly opened: Promise<{ readable: ReadableStream<Uint8Array | string>; writable: WritableStream<Uint8Array | string>; protocol: string; extensions: string }>;
  readonly closed: Promise<{ closeCode: number; reason: string }>;
  close(info?: { closeCode?: number; reason?: string }): void;
}

/** Bytes of a message, or undefined for anything that is not binary (refused: a link carries records only). */
function bytesOf(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return undefined;
}

/**
 * Adapt a message pipe into a qmux socket. A message that is not a bounded binary record ends the link.
 *
 * Outgoing frames are coalesced into records (shared/media/coalesce.ts): one message per qmux frame cost more
 * CPU in the browser's IPC between renderer, network service and core than the media itself. The delay is
 * that of one macrotask.
 */
export function pipeSocket(pipe: MessagePipe, url: string): PipeSocket {
  let done = false;
  const out = new Coalescer((record) => pipe.send(record), LINK_COALESCE_BYTES);
  const closed = Promise.withResolvers<{ closeCode: number; reason: string }>();
  let controller!: ReadableStreamDefaultController<Uint8Array | string>;
  const finish = (closeCode: number, reason: string): void => {
    if (done) return;
    done = true;
    out.close();
    try {
      if (closeCode === 1000) controller.close();
      else controller.error(new Error(reason));
    } catch {
      // already closed by the reader
    }
    pipe.close();
    closed.resolve({ closeCode, reason });
  };
  const readable = new ReadableStream<Uint8Array | string>({
    start(c) {
      controller = c;
    },
    cancel() {
      finish(1000, "reader cancelled");
    },
  });
  pipe.onMessage((data) => {
    if (done) return;
    const bytes = bytesOf(data);
    if (bytes === undefined || bytes.length > MAX_LINK_RECORD_BYTES) {
      finish(1003, bytes === undefined ? "media link got a non-binary message" : `media link record of ${bytes.length} bytes is too large`);
      return;
    }
    controller.enqueue(bytes);
  });
  pipe.onClose(() => finish(1000, "the other end closed"));
  const writable = new WritableStream<Uint8Array | string>({
    write(chunk) {
      if (done) throw new Error("media link closed");
      if (typeof chunk === "string") throw new TypeError("media link carries binary records only");
      out.push(chunk);
    },
    close() {
      out.flush();
      finish(1000, "closed");
    },
    abort(reason) {
      finish(1011, String(reason));
    },
  });
  return {
    url,
    opened: Promise.resolve({ readable, writable, protocol: LINK_SUBPROTOCOL, extensions: "" }),
    closed: closed.promise,
    close: (info) => {
      out.flush();
      finish(info?.closeCode ?? 1000, info?.reason ?? "closed");
    },
  };
}
