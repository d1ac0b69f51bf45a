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

/** The negotiated protocol both qmux ends assume: QMux draft-02 carrying moq-lite-05. */
export const LINK_SUBPROTOCOL = "qmux-02.moq-lite-05";

/** Where the WebSocket endpoint lives in browser mode. */
export const LINK_SOCKET_PATH = "/moq";

/** Largest qmux record either end accepts on the link (the qmux default frame sizes fit well within). */
export const MAX_LINK_RECORD_BYTES = 4 * 1024 * 1024;

/**
 * Coalescing limit: frames qmux writes within one task go out as one message up to this size. It is QMux's
 * default `max_record_size` (draft-01+), which every peer accepts, so a standard client on `/moq` can read
 * what we send without having raised its limit. (qmux sizes single frames to the peer's limit itself.)
 */
export const LINK_COALESCE_BYTES = 16_382;

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
 * Outgoing frames are coalesced: qmux writes each STREAM frame on its own (a media frame is two or three of
 * them, an audio packet with its group's open and FIN about six), and one message per frame cost more CPU in
 * the browser's IPC between renderer, network service and core than the media itself. QMux-02 lets a record
 * carry several frames, so everything written before the next macrotask leaves as one message (or more, at
 * {@link LINK_COALESCE_BYTES}). The delay is that of one macrotask.
 */
export function pipeSocket(pipe: MessagePipe, url: string): PipeSocket {
  let done = false;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0 || done) return;
    let out: Uint8Array;
    if (pending.length === 1) out = pending[0]!;
    else {
      out = new Uint8Array(pendingBytes);
      let off = 0;
      for (const c of pending) {
        out.set(c, off);
        off += c.byteLength;
      }
    }
    pending = [];
    pendingBytes = 0;
    pipe.send(out);
  };
  const enqueue = (chunk: Uint8Array): void => {
    if (pendingBytes + chunk.byteLength > LINK_COALESCE_BYTES) flush();
    // Copied: qmux may reuse the buffer it wrote once the write has resolved.
    pending.push(chunk.slice());
    pendingBytes += chunk.byteLength;
    if (pendingBytes >= LINK_COALESCE_BYTES) flush();
    else if (!scheduled) {
      scheduled = true;
      setTimeout(flush, 0);
    }
  };
  const closed = Promise.withResolvers<{ closeCode: number; reason: string }>();
  let controller!: ReadableStreamDefaultController<Uint8Array | string>;
  const finish = (closeCode: number, reason: string): void => {
    if (done) return;
    done = true;
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
      enqueue(chunk);
    },
    close() {
      flush();
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
      flush();
      finish(info?.closeCode ?? 1000, info?.reason ?? "closed");
    },
  };
}
