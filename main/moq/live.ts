/**
 * Live media between peers: our broadcasts go to every peer we have a MoQ session with, and we
 * subscribe to a peer's broadcast by name once the peer announces it. One MoQ session per peer
 * (session-registry.ts), opened on demand and closed when idle. The hang catalog is not this layer's
 * business; see track-read.ts to wait for a track's first frame.
 */
import type { Libp2p } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import * as Moq from "@moq/net";
import { silentLog, type Log } from "../log.ts";
import { InvalidBroadcastNameError, LiveClosedError, SessionClosedError, type SessionEnd } from "./errors.ts";
import type { FramedStreamInit } from "./framing.ts";
import { routeMoqConsole } from "./moq-console.ts";
import type { PeerSession } from "./peer-session.ts";
import { MAX_MOQ_STREAMS, retryable, SessionRegistry } from "./session-registry.ts";
import { MOQ_PROTOCOL } from "./transport.ts";

/** Options for {@link createLive}. */
export interface LiveInit {
  /** Aborting it closes the Live instance. */
  signal?: AbortSignal;
  log?: Log;
  /** Close a session nobody has used for this long (default 3 s). */
  idleMs?: number;
  /** Send @moq/net's console output to `log` while open (default true); see moq-console.ts. */
  routeConsole?: boolean;
  framing?: FramedStreamInit;
}

/** Why a remote broadcast ended. */
export type EndReason =
  | { kind: "unannounced" }
  | { kind: "session-closed"; end: SessionEnd }
  | { kind: "closed" };

/** A peer's broadcast we subscribed to. */
export interface RemoteBroadcast {
  /** The publishing peer's id. */
  readonly remote: string;
  readonly name: string;
  readonly consumer: Moq.Broadcast.Consumer;
  /** Resolves when the peer withdraws the broadcast, the session closes, or we close it. */
  readonly ended: Promise<EndReason>;
  /** Stop consuming; releases the session use. Prefer this over `consumer.close()`. */
  close(): void;
}

/** A session as seen from outside. */
export interface LiveSession {
  readonly remote: string;
  /** Who opened it: we ("outbound") or the peer ("inbound"). */
  readonly direction: "inbound" | "outbound";
  readonly id: number;
  readonly ended: Promise<SessionEnd>;
}

/** A peer's session ended (and no other took its place). */
export interface SessionClosedEvent {
  readonly remote: string;
  readonly end: SessionEnd;
}

/** The live media layer of one node. */
export interface Live {
  readonly peerId: string;
  /** Publish `producer` as `name` on every current and future session. Replaces an earlier one of that name. */
  publish(name: string, producer: Moq.Broadcast.Producer): void;
  /** Withdraw `name`: peers see it unannounced and their subscriptions to it end. The producer is untouched. */
  unpublish(name: string): void;
  /** Subscribe to `remote`'s broadcast `name`, waiting until the peer announces it. */
  subscribe(remote: string, name: string, opts?: { signal?: AbortSignal }): Promise<RemoteBroadcast>;
  /** The sessions currently in place, one per peer. */
  sessions(): LiveSession[];
  /** Call `listener` whenever a peer's session ends; returns the function that unregisters it. */
  onSessionClosed(listener: (ev: SessionClosedEvent) => void): () => void;
  /** Close every session and stop serving the protocol. */
  close(): Promise<void>;
}

/** Default idle delay before an unused session is closed. */
export const DEFAULT_IDLE_MS = 3_000;
const MAX_SUBSCRIBE_ATTEMPTS = 4;

/** Start the live media layer on `node` (registers the MoQ protocol handler). */
export async function createLive(node: Libp2p, init: LiveInit = {}): Promise<Live> {
  init.signal?.throwIfAborted();
  const log = init.log ?? silentLog;
  const published = new Map<string, Moq.Broadcast.Producer>();
  const listeners = new Set<(ev: SessionClosedEvent) => void>();
  const closing = Promise.withResolvers<void>();
  let closed = false;
  const unroute = init.routeConsole === false ? () => undefined : routeMoqConsole(log);

  const registry = new SessionRegistry({
    node,
    log,
    idleMs: init.idleMs ?? DEFAULT_IDLE_MS,
    published: () => published,
    framing: init.framing,
    onOpened: (s) => log.debug("moq session open", { remote: s.remote, direction: s.direction, id: s.id }),
    onClosed: (s, end) => {
      const fields = { remote: s.remote, id: s.id, code: end.code, reason: end.reason, local: end.local };
      if (end.error !== undefined) log.warn("moq session failed", { ...fields, error: end.error.message });
      else log.debug("moq session closed", fields);
      for (const l of [...listeners]) l({ remote: s.remote, end });
    },
  });

  await node.handle(MOQ_PROTOCOL, (stream, connection) => registry.handleInbound(stream, connection.remotePeer.toString()), {
    maxInboundStreams: MAX_MOQ_STREAMS,
    maxOutboundStreams: MAX_MOQ_STREAMS,
    // Relayed connections count as "limited" on relays with libp2p's default limits; media must still flow.
    runOnLimitedConnection: true,
  });

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    closing.resolve();
    node.removeEventListener("stop", onStop);
    init.signal?.removeEventListener("abort", onStop);
    await node.unhandle(MOQ_PROTOCOL).catch(() => undefined);
    await registry.close();
    // The libraries log their "connection closed" lines a few ticks after the session ends.
    await new Promise((r) => setTimeout(r, 150));
    unroute();
  };
  const onStop = (): void => void close();
  init.signal?.addEventListener("abort", onStop, { once: true });
  node.addEventListener("stop", onStop, { once: true });

  const subscribe = async (remote: string, name: string, opts: { signal?: AbortSignal } = {}): Promise<RemoteBroadcast> => {
    checkName(name);
    peerIdFromString(remote); // throws on a malformed id
    if (remote === node.peerId.toString()) throw new TypeError("cannot subscribe to our own broadcasts");
    if (closed) throw new LiveClosedError();
    registry.retain(remote);
    let kept = false;
    try {
      let lastError: Error | undefined;
      for (let attempt = 0; attempt < MAX_SUBSCRIBE_ATTEMPTS; attempt++) {
        const session = await registry.acquire(remote, opts.signal);
        let announcement;
        try {
          announcement = await session.waitAnnounced(name, opts.signal);
        } catch (err) {
          if (err instanceof SessionClosedError && retryable(err.end)) {
            lastError = err;
            continue;
          }
          throw err;
        }
        kept = true;
        return remoteBroadcast(session, name, announcement.ended, closing.promise, () => registry.release(remote));
      }
      throw lastError!;
    } catch (err) {
      throw closed ? new LiveClosedError() : err;
    } finally {
      if (!kept) registry.release(remote);
    }
  };

  return {
    peerId: node.peerId.toString(),
    publish(name, producer) {
      checkName(name);
      if (closed) throw new LiveClosedError();
      if (published.get(name) === producer) return;
      published.set(name, producer);
      void producer.closed.then(() => {
        if (published.get(name) === producer) published.delete(name);
      });
      for (const s of registry.sessions()) s.publish(name, producer);
    },
    unpublish(name) {
      published.delete(name);
      for (const s of registry.sessions()) s.unpublish(name);
    },
    subscribe,
    sessions: () =>
      registry.sessions().map((s) => ({ remote: s.remote, direction: s.direction, id: s.id, ended: s.ended })),
    onSessionClosed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close,
  };
}

function remoteBroadcast(session: PeerSession, name: string, unannounced: Promise<void>, liveClosed: Promise<void>, release: () => void): RemoteBroadcast {
  const consumer = session.consume(name);
  const closedHere = Promise.withResolvers<void>();
  const ended = Promise.race<EndReason>([
    unannounced.then(() => ({ kind: "unannounced" })),
    session.ended.then((end) => ({ kind: "session-closed", end })),
    liveClosed.then(() => ({ kind: "closed" })),
    closedHere.promise.then(() => ({ kind: "closed" })),
  ]);
  void ended.then(release);
  return {
    remote: session.remote,
    name,
    consumer,
    ended,
    close() {
      consumer.close();
      closedHere.resolve();
    },
  };
}

function checkName(name: string): void {
  if (name === "" || Moq.Path.from(name) !== name) throw new InvalidBroadcastNameError(`broadcast name ${JSON.stringify(name)} is not a normalized path`);
  if (name.startsWith(".")) throw new InvalidBroadcastNameError(`broadcast names starting with "." are reserved (${name})`);
}
