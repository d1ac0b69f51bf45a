/**
 * MoQ inside one libp2p stream: the stream is record-framed (framing.ts), @moq/qmux runs its
 * WebTransport-over-WebSocket multiplexer on those records, and @moq/net runs moq-lite-05 on the qmux
 * session. The libp2p dialer is the qmux client, the listener the qmux server; with the version pinned by
 * the subprotocol both MoQ ends are symmetric (each publishes and consumes).
 *
 * Why qmux rather than one yamux stream per MoQ stream: priorities (`sendOrder`), flow control, reset
 * codes and near-free stream opens (shared/reference/moq-in-node.md §3.3).
 */
import type { Stream } from "@libp2p/interface";
import * as Moq from "@moq/net";
import Session from "@moq/qmux";
import { QMUX_CONFIG } from "../../shared/media/qmux-config.ts";
import { CloseCode, type SessionEnd } from "./errors.ts";
import { framedStream, type FramedStream, type FramedStreamInit } from "./framing.ts";

/** libp2p protocol id of a MoQ session. */
export const MOQ_PROTOCOL = "/liverooms/moq-lite-05/1";
/** The negotiated "WebSocket subprotocol" both qmux ends assume: QMux draft-02 carrying moq-lite-05. */
export const QMUX_SUBPROTOCOL = "qmux-02.moq-lite-05";

/** Flow-control windows (shared with the media link): see shared/media/qmux-config.ts. */
export { QMUX_CONFIG } from "../../shared/media/qmux-config.ts";

const FAILED_LINGER_MS = 500;

/** Which end of the libp2p stream we are. */
export type MoqRole = "dialer" | "listener";

/** The qmux session inside one libp2p stream, before (or without) MoQ on top. */
export class QmuxLink {
  readonly framed: FramedStream;
  readonly qmux: Session;
  /** Settles (never rejects) when the qmux session has ended. */
  readonly ended: Promise<SessionEnd>;
  #local = false;

  constructor(stream: Stream, role: MoqRole, framing?: FramedStreamInit) {
    this.framed = framedStream(stream, framing);
    const socket = streamSocket(this.framed, stream.id);
    this.qmux = role === "dialer" ? new Session(socket, { config: QMUX_CONFIG }) : Session.accept(socket, { config: QMUX_CONFIG });
    this.ended = this.qmux.closed.then(
      (info): SessionEnd => ({ code: info.closeCode ?? 0, reason: info.reason ?? "", local: this.#local }),
      (err: unknown): SessionEnd => {
        // qmux wraps the real failure (our ProtocolViolation, a reset stream) as the cause.
        const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err instanceof Error ? err : new Error(String(err));
        return { code: -1, reason: cause.message, local: this.#local, error: cause };
      },
    );
    // However qmux ended, the libp2p stream must not outlive it. qmux closes the socket itself 100 ms after
    // queueing its close frame (so the frame gets out); this is the safety net. After a failure the peer is
    // not expected to close its side, so do not wait the full linger for it.
    void this.ended.then((end) => {
      setTimeout(() => void this.framed.close(end.error === undefined ? undefined : FAILED_LINGER_MS), 150).unref();
    });
  }

  /** Close the session with an application code (sent to the peer), then the stream. */
  close(code: number, reason: string): void {
    this.#local = true;
    this.qmux.close({ closeCode: code, reason });
  }
}

/** Run MoQ on a qmux link: resolves to the established connection once both sides are set up. */
export async function establishMoq(link: QmuxLink, remote: string, role: MoqRole, opts: { signal?: AbortSignal } = {}): Promise<Moq.Connection.Established> {
  const url = new URL(`libp2p://${remote}`);
  const abort = (): void => link.close(CloseCode.Closed, "aborted");
  opts.signal?.throwIfAborted();
  opts.signal?.addEventListener("abort", abort, { once: true });
  try {
    // `protocol` is only known once qmux has started; both MoQ entry points read it synchronously.
    await link.qmux.ready;
    const transport = link.qmux as unknown as WebTransport;
    return role === "dialer" ? await Moq.Connection.connect(url, { transport, signal: opts.signal }) : await Moq.Connection.accept(transport, url);
  } finally {
    opts.signal?.removeEventListener("abort", abort);
  }
}

// The WebSocketStream shape qmux accepts (`@moq/web-socket-stream`'s WebSocketStreamLike).
function streamSocket(framed: FramedStream, id: string) {
  const closed = Promise.race([
    framed.remoteEnded.then(() => ({ closeCode: 1000, reason: "stream ended" })),
    framed.closed.then((err) => {
      if (err !== undefined) throw err;
      return { closeCode: 1000, reason: "stream closed" };
    }),
  ]);
  closed.catch(() => undefined);
  return {
    url: `libp2p-stream:${id}`,
    opened: Promise.resolve({ readable: framed.readable, writable: framed.writable, protocol: QMUX_SUBPROTOCOL, extensions: "" }),
    closed,
    close: (): void => void framed.close(),
  };
}
