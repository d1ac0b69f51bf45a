/**
 * The MoQ session between main and the UI (shared/media/link.ts has the layout): the renderer captures
 * and encodes, and publishes `camera` and `screen` here; main offers each remote peer's broadcast back
 * as `peers/<peerId>/<name>`. Runs over a loopback WebSocket (browser mode) or an Electron MessagePort,
 * each adapted to qmux's socket shape by pipeSocket; MoQ itself is the same `@moq/net` as between peers.
 *
 * The renderer is a client of the core like any other: only the two broadcast names are taken from it.
 */
import * as Moq from "@moq/net";
import Session from "@moq/qmux";
import { isLocalBroadcastName, remotePath, type LocalBroadcastName } from "../../shared/media/link.ts";
import type { Log } from "../log.ts";
import { mirrorBroadcast } from "../media/forward.ts";
import { QMUX_CONFIG } from "../moq/transport.ts";

/** What the link runs on: a WebSocket or MessagePort adapted by `pipeSocket` (which coalesces frames). */
export type LinkSocket = Parameters<typeof Session.accept>[0];

/** What the renderer currently publishes. */
export type RendererBroadcasts = Partial<Record<LocalBroadcastName, Moq.Broadcast.Consumer>>;

/** One UI's media session. */
export class MediaLink {
  readonly #conn: Moq.Connection.Established;
  readonly #log: Log;
  readonly #published: RendererBroadcasts = {};
  readonly #offered = new Map<string, Moq.Broadcast.Producer>();
  readonly #listeners = new Set<(b: RendererBroadcasts) => void>();
  /** Settles when the session has ended, however it ended. */
  readonly closed: Promise<void>;

  private constructor(conn: Moq.Connection.Established, log: Log) {
    this.#conn = conn;
    this.#log = log;
    this.closed = conn.closed.then(
      () => this.#ended("closed"),
      (err: unknown) => this.#ended(String(err)),
    );
    log.info("media link open");
    void this.#watch();
  }

  /** Run MoQ as the server end of `socket` (an accepted WebSocket, or a MessagePort adapted to one). */
  static async accept(socket: LinkSocket, log: Log, opts: { signal?: AbortSignal } = {}): Promise<MediaLink> {
    const qmux = Session.accept(socket, { config: QMUX_CONFIG });
    const abort = (): void => qmux.close({ closeCode: 0, reason: "aborted" });
    opts.signal?.addEventListener("abort", abort, { once: true });
    try {
      await qmux.ready;
      const conn = await Moq.Connection.accept(qmux, new URL("liverooms://ui"));
      return new MediaLink(conn, log);
    } catch (err) {
      qmux.close({ closeCode: 0, reason: "setup failed" });
      throw err;
    } finally {
      opts.signal?.removeEventListener("abort", abort);
    }
  }

  /** The renderer's broadcasts now. */
  get published(): RendererBroadcasts {
    return { ...this.#published };
  }

  /** Call `fn` whenever the renderer starts or stops a broadcast. Returns unsubscribe. */
  onPublishedChanged(fn: (b: RendererBroadcasts) => void): () => void {
    this.#listeners.add(fn);
    return () => void this.#listeners.delete(fn);
  }

  /** Offer a remote peer's broadcast to the renderer (replacing an earlier offer of the same one). */
  offer(peerId: string, name: string, broadcast: Moq.Broadcast.Consumer): void {
    const path = remotePath(peerId, name);
    this.#offered.get(path)?.close();
    const mirror = mirrorBroadcast(broadcast, "peer-in");
    this.#offered.set(path, mirror);
    this.#conn.publish(Moq.Path.from(path), mirror);
  }

  /** Stop offering a remote broadcast. */
  withdraw(peerId: string, name: string): void {
    const path = remotePath(peerId, name);
    this.#offered.get(path)?.close();
    this.#offered.delete(path);
  }

  /** Withdraw every offer (the room was left). */
  withdrawAll(): void {
    for (const p of this.#offered.values()) p.close();
    this.#offered.clear();
  }

  /** End the session. */
  close(): void {
    this.#conn.close();
  }

  async #watch(): Promise<void> {
    const announced = this.#conn.announced();
    void this.closed.then(() => announced.close());
    try {
      for (let ev = await announced.next(); ev !== undefined; ev = await announced.next()) {
        const name = String(ev.path);
        if (!isLocalBroadcastName(name)) {
          this.#log.warn("ignoring a broadcast the UI may not publish", { path: name.slice(0, 64) });
          continue;
        }
        this.#published[name]?.close();
        if (ev.active) this.#published[name] = this.#conn.consume(ev.path);
        else delete this.#published[name];
        this.#notify();
      }
    } catch (err) {
      this.#log.debug("media link announcements ended", { error: String(err) });
    }
  }

  #ended(why: string): void {
    this.#log.info("media link closed", { why });
    for (const b of Object.values(this.#published)) b?.close();
    for (const k of Object.keys(this.#published) as LocalBroadcastName[]) delete this.#published[k];
    this.withdrawAll();
    this.#notify();
  }

  #notify(): void {
    const now = this.published;
    for (const fn of this.#listeners) fn(now);
  }
}
