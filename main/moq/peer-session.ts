/**
 * One MoQ session with one peer, inside one libp2p stream. Tracks what the peer announces to us (so a
 * subscriber can wait for a broadcast to appear and learn when it goes), publishes our broadcasts as
 * per-session views, and carries the interest marker.
 *
 * The interest marker: while we use a session (a subscribe waiting or a remote broadcast held) we
 * publish the reserved path {@link INTEREST_PATH} on it. The peer sees it through its announcement
 * stream and keeps the session open even if it uses nothing itself; without it a pure publisher would
 * idle-close a session its peer is still waiting on. It carries no tracks.
 *
 * The nudge: @moq/net's publisher watches its broadcast map with a one-shot `changed()` that it re-arms
 * only after writing the previous diff, so a publish/unpublish landing while that write waits (behind
 * media under backpressure) is not announced until the map changes again (its own note: "won't work
 * with a rapid UNANNOUNCE/ANNOUNCE cycle"). After each change we re-publish a permanent anchor
 * broadcast ({@link ANCHOR_PATH}) a little later: a no-op change that makes the loop re-diff.
 */
import type { Stream } from "@libp2p/interface";
import * as Moq from "@moq/net";
import type { Log } from "../log.ts";
import { abortReason, SessionClosedError, type SessionEnd } from "./errors.ts";
import type { FramedStreamInit } from "./framing.ts";
import { PublishedView } from "./published-view.ts";
import { establishMoq, QmuxLink } from "./transport.ts";

/** Reserved broadcast path announcing "I am using this session". Names starting with "." are reserved. */
export const INTEREST_PATH = ".interest";
/** Reserved broadcast path kept published on every session so there is always an entry to nudge with. */
export const ANCHOR_PATH = ".session";
// Re-diff the announcements this long after a change (see "The nudge").
const NUDGE_AFTER_MS = [50, 500];
// A name withdrawn and published again waits this long, so the peer sees the end before the new start.
const REPUBLISH_DELAY_MS = 25;

/** One announcement of a remote broadcast; `ended` resolves when the peer withdraws it. */
export interface Announcement {
  readonly ended: Promise<void>;
}

/** Options for {@link PeerSession}. */
export interface PeerSessionInit {
  remote: string;
  direction: "inbound" | "outbound";
  stream: Stream;
  log: Log;
  /** Broadcasts to publish as soon as the session is up. */
  published: () => ReadonlyMap<string, Moq.Broadcast.Producer>;
  /** The peer's interest or the number of subscriptions it holds changed. */
  onUsage: () => void;
  framing?: FramedStreamInit;
}

let nextId = 1;

/** A MoQ session with one peer. */
export class PeerSession {
  /** Process-unique id, for logs and tests. */
  readonly id = nextId++;
  readonly remote: string;
  readonly direction: "inbound" | "outbound";
  readonly link: QmuxLink;
  /** Settles (never rejects) when the session has ended. */
  readonly ended: Promise<SessionEnd>;
  readonly #init: PeerSessionInit;
  #conn: Moq.Connection.Established | undefined;
  #end: SessionEnd | undefined;
  readonly #active = new Map<string, PromiseWithResolvers<void>>();
  readonly #waiters = new Map<string, Set<(a: Announcement | SessionEnd) => void>>();
  readonly #views = new Map<string, PublishedView>();
  #remoteInterest = false;
  #wantInterest = false;
  #marker: Moq.Broadcast.Producer | undefined;
  readonly #anchor = new Moq.Broadcast.Producer();
  readonly #ready = Promise.withResolvers<void>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(init: PeerSessionInit) {
    this.#init = init;
    this.remote = init.remote;
    this.direction = init.direction;
    this.link = new QmuxLink(init.stream, init.direction === "outbound" ? "dialer" : "listener", init.framing);
    this.ended = this.link.ended.then((end) => {
      this.#teardown(end);
      return end;
    });
  }

  /** Settles with the outcome of {@link start}. */
  get ready(): Promise<void> {
    return this.#ready.promise;
  }

  /** True once MoQ runs on the session (and until it ends). */
  get established(): boolean {
    return this.#conn !== undefined && this.#end === undefined;
  }

  /** Set once the session has ended. */
  get end(): SessionEnd | undefined {
    return this.#end;
  }

  /** Whether the peer currently announces interest in this session. */
  get remoteInterest(): boolean {
    return this.#remoteInterest;
  }

  /** Track subscriptions the peer holds on our broadcasts through this session. */
  get served(): number {
    let n = 0;
    for (const v of this.#views.values()) n += v.served;
    return n;
  }

  /** Run MoQ on the stream; rejects with SessionClosedError if the session ends first. Settles {@link ready}. */
  async start(signal?: AbortSignal): Promise<void> {
    this.#ready.promise.catch(() => undefined);
    try {
      await this.#start(signal);
      this.#ready.resolve();
    } catch (err) {
      this.#ready.reject(err);
      throw err;
    }
  }

  async #start(signal?: AbortSignal): Promise<void> {
    let conn: Moq.Connection.Established;
    try {
      conn = await establishMoq(this.link, this.remote, this.direction === "outbound" ? "dialer" : "listener", { signal });
    } catch (err) {
      if (this.#end === undefined) this.link.close(0, "setup failed");
      throw new SessionClosedError(this.remote, this.#end ?? { code: -1, reason: (err as Error).message, local: true, error: err as Error });
    }
    if (this.#end !== undefined) {
      conn.close();
      throw new SessionClosedError(this.remote, this.#end);
    }
    this.#conn = conn;
    conn.publish(Moq.Path.from(ANCHOR_PATH), this.#anchor);
    for (const [name, producer] of this.#init.published()) this.publish(name, producer);
    this.#syncMarker();
    void this.#watchAnnounced(conn);
  }

  /** Publish (or replace) our broadcast `name` on this session. */
  publish(name: string, producer: Moq.Broadcast.Producer): void {
    if (!this.established) return;
    const old = this.#views.get(name);
    old?.close();
    const view = new PublishedView(producer, () => this.#init.onUsage());
    this.#views.set(name, view);
    void view.closed.then(() => {
      if (this.#views.get(name) === view) this.#views.delete(name);
      this.#nudge();
      this.#init.onUsage();
    });
    const go = (): void => {
      if (!this.established || this.#views.get(name) !== view) return;
      this.#conn!.publish(Moq.Path.from(name), view);
      this.#nudge();
    };
    // Same path straight away would replace the old entry in place and the peer would never see it end.
    if (old === undefined) go();
    else setTimeout(go, REPUBLISH_DELAY_MS);
  }

  /** Withdraw our broadcast `name` from this session (ends the peer's subscriptions to it). */
  unpublish(name: string): void {
    this.#views.get(name)?.close();
  }

  /** Announce (or stop announcing) that we use this session. */
  setInterest(on: boolean): void {
    this.#wantInterest = on;
    this.#syncMarker();
  }

  /** Resolves once the peer announces `name`; rejects on abort or with SessionClosedError when the session ends. */
  waitAnnounced(name: string, signal?: AbortSignal): Promise<Announcement> {
    if (this.#end !== undefined) return Promise.reject(new SessionClosedError(this.remote, this.#end));
    const active = this.#active.get(name);
    if (active !== undefined) return Promise.resolve({ ended: active.promise });
    signal?.throwIfAborted();
    return new Promise<Announcement>((resolve, reject) => {
      const set = this.#waiters.get(name) ?? new Set();
      this.#waiters.set(name, set);
      const onAbort = (): void => {
        set.delete(waiter);
        reject(abortReason(signal!));
      };
      const waiter = (a: Announcement | SessionEnd): void => {
        signal?.removeEventListener("abort", onAbort);
        if ("ended" in a) resolve(a);
        else reject(new SessionClosedError(this.remote, a));
      };
      set.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** A handle to the peer's broadcast `name` (call after {@link waitAnnounced}). */
  consume(name: string): Moq.Broadcast.Consumer {
    if (!this.established) throw new SessionClosedError(this.remote, this.#end ?? { code: -1, reason: "not established", local: true });
    return this.#conn!.consume(Moq.Path.from(name));
  }

  /** Close the session, telling the peer `code`/`reason`. */
  close(code: number, reason: string): void {
    if (this.#end !== undefined) return;
    this.link.close(code, reason);
    this.#conn?.close();
  }

  async #watchAnnounced(conn: Moq.Connection.Established): Promise<void> {
    const announced = conn.announced();
    void this.ended.then(() => announced.close());
    try {
      for (;;) {
        const ev = await announced.next();
        if (ev === undefined) break;
        this.#onAnnounce(ev.path, ev.active);
      }
    } catch (err) {
      // The announcement stream failing means the session is unusable for subscribing.
      this.#init.log.debug("moq announcement stream failed", { remote: this.remote, error: (err as Error).message });
    }
  }

  #onAnnounce(path: string, active: boolean): void {
    if (path === INTEREST_PATH) {
      this.#remoteInterest = active;
      this.#init.onUsage();
      return;
    }
    if (path.startsWith(".")) return; // reserved for this layer
    // lite-05 surfaces a republish as inactive-then-active, so an active path here is always new.
    this.#active.get(path)?.resolve();
    this.#active.delete(path);
    if (!active) return;
    const gen = Promise.withResolvers<void>();
    this.#active.set(path, gen);
    const waiters = this.#waiters.get(path);
    this.#waiters.delete(path);
    for (const w of waiters ?? []) w({ ended: gen.promise });
  }

  #nudge(): void {
    for (const ms of NUDGE_AFTER_MS) {
      const t = setTimeout(() => {
        this.#timers.delete(t);
        if (this.established) this.#conn!.publish(Moq.Path.from(ANCHOR_PATH), this.#anchor);
      }, ms);
      t.unref();
      this.#timers.add(t);
    }
  }

  #syncMarker(): void {
    if (!this.established) return;
    if (this.#wantInterest && this.#marker === undefined) {
      this.#marker = new Moq.Broadcast.Producer();
      this.#conn!.publish(Moq.Path.from(INTEREST_PATH), this.#marker);
      this.#nudge();
    } else if (!this.#wantInterest && this.#marker !== undefined) {
      this.#marker.close();
      this.#marker = undefined;
      this.#nudge();
    }
  }

  #teardown(end: SessionEnd): void {
    this.#end = end;
    for (const set of this.#waiters.values()) for (const w of set) w(end);
    this.#waiters.clear();
    // Announcements are left pending: a session end is reported as such (via `ended`), not as a withdrawal.
    this.#active.clear();
    for (const v of this.#views.values()) v.close();
    this.#marker?.close();
    this.#anchor.close();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#conn?.close();
  }
}
