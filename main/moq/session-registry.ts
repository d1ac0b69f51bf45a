/**
 * Exactly one MoQ session per remote peer.
 *
 * Sessions open lazily: when we need one (acquire) or when the peer opens one. When both peers dial at
 * once, the session dialed by the smaller peer id wins on both sides: the smaller side refuses the
 * inbound one (qmux close code Duplicate), the larger side adopts the inbound one and drops its own. A
 * caller whose session lost that race simply retries and finds the winner.
 *
 * A session closes when idle for `idleMs`: no local use (a subscribe waiting, a remote broadcast held),
 * no interest announced by the peer, and no subscription of the peer's on our broadcasts.
 */
import type { Libp2p, Stream } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type * as Moq from "@moq/net";
import type { Log } from "../log.ts";
import { abortReason, CloseCode, LiveClosedError, SessionClosedError, type SessionEnd } from "./errors.ts";
import type { FramedStreamInit } from "./framing.ts";
import { PeerSession } from "./peer-session.ts";
import { MOQ_PROTOCOL } from "./transport.ts";

/** Concurrent MoQ streams per connection: one session, plus one more while a duplicate or replacement is torn down. */
export const MAX_MOQ_STREAMS = 4;
const DIAL_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 6;
// After the peer refused our dial as a duplicate, give its own dial this long to arrive before redialing.
const WAIT_FOR_WINNER_MS = 1_000;

/** Options for {@link SessionRegistry}. */
export interface SessionRegistryInit {
  node: Libp2p;
  log: Log;
  idleMs: number;
  /** Our broadcasts, published on every session as it comes up. */
  published: () => ReadonlyMap<string, Moq.Broadcast.Producer>;
  onOpened: (session: PeerSession) => void;
  /** The peer's session ended and no other replaced it. */
  onClosed: (session: PeerSession, end: SessionEnd) => void;
  framing?: FramedStreamInit;
}

interface Slot {
  readonly remote: string;
  current: PeerSession | undefined;
  dialing: AbortController | undefined;
  uses: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** Until when to wait for the peer's dial instead of dialing (after it refused ours). */
  holdOffUntil: number;
  /** Resolved and replaced whenever `current` or `dialing` changes. */
  changed: PromiseWithResolvers<void>;
}

/** The per-peer session table of one Live instance. */
export class SessionRegistry {
  readonly #init: SessionRegistryInit;
  readonly #local: string;
  readonly #slots = new Map<string, Slot>();
  readonly #closing = new AbortController();

  constructor(init: SessionRegistryInit) {
    this.#init = init;
    this.#local = init.node.peerId.toString();
  }

  /** Every session currently in place (one per peer). */
  sessions(): PeerSession[] {
    return [...this.#slots.values()].flatMap((s) => (s.current === undefined ? [] : [s.current]));
  }

  /** Count a local use of the peer's session (keeps it from idling, announces our interest). */
  retain(remote: string): void {
    const slot = this.#slot(remote);
    if (slot.uses++ === 0) slot.current?.setInterest(true);
    this.#evaluate(slot);
  }

  /** Drop a use taken with {@link retain}. */
  release(remote: string): void {
    const slot = this.#slots.get(remote);
    if (slot === undefined || slot.uses === 0) return;
    if (--slot.uses === 0) slot.current?.setInterest(false);
    this.#evaluate(slot);
  }

  /** The established session with `remote`, dialing one if there is none. */
  async acquire(remote: string, signal?: AbortSignal): Promise<PeerSession> {
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      this.#assertOpen();
      signal?.throwIfAborted();
      const slot = this.#slot(remote);
      const session = slot.current;
      if (session !== undefined && session.end === undefined) {
        try {
          await raceAbort(session.ready, signal);
          return session;
        } catch (err) {
          if (signal?.aborted) throw err;
          lastError = err as Error;
          continue; // it failed or was replaced: look again
        }
      }
      if (slot.dialing !== undefined || Date.now() < slot.holdOffUntil) {
        const wait = Math.max(0, slot.holdOffUntil - Date.now());
        await raceAbort(slot.changed.promise, signal, wait > 0 ? delay(wait) : undefined);
        continue;
      }
      lastError = await this.#dial(slot, signal);
      if (lastError !== undefined && !(lastError instanceof SessionClosedError && retryable(lastError.end))) throw lastError;
    }
    throw lastError ?? new Error(`could not open a MoQ session with ${remote}`);
  }

  /** Handle a peer-opened stream on MOQ_PROTOCOL. */
  handleInbound(stream: Stream, remote: string): void {
    if (this.#closing.signal.aborted) {
      stream.abort(new LiveClosedError());
      return;
    }
    const slot = this.#slot(remote);
    const session = this.#newSession(stream, remote, "inbound");
    const cur = slot.current;
    const ourDial = slot.dialing !== undefined || (cur !== undefined && cur.end === undefined && cur.direction === "outbound");
    if (ourDial && this.#local < remote) {
      // Both dialed: ours wins. Close theirs only after qmux is up, so the close code reaches them.
      this.#init.log.debug("moq simultaneous dial: refusing the peer's session", { remote });
      void session.link.qmux.ready.then(() => session.close(CloseCode.Duplicate, "duplicate session"), () => undefined);
      return;
    }
    if (ourDial) this.#init.log.debug("moq simultaneous dial: adopting the peer's session", { remote });
    slot.dialing?.abort(new Error("superseded by the peer's session"));
    slot.dialing = undefined;
    this.#adopt(slot, session);
  }

  /** Close every session and stop accepting or dialing new ones. */
  async close(): Promise<void> {
    this.#closing.abort(new LiveClosedError());
    const ended: Promise<unknown>[] = [];
    for (const slot of this.#slots.values()) {
      slot.dialing?.abort(new LiveClosedError());
      clearTimeout(slot.idleTimer);
      if (slot.current !== undefined) {
        slot.current.close(CloseCode.Closed, "closing");
        ended.push(slot.current.ended);
      }
      notify(slot);
    }
    await Promise.all(ended);
  }

  // Open a session to the slot's peer. Returns the error that kept it from coming up, if any.
  async #dial(slot: Slot, signal?: AbortSignal): Promise<Error | undefined> {
    const ctl = new AbortController();
    slot.dialing = ctl;
    notify(slot);
    const signals = [ctl.signal, this.#closing.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)];
    const dialSignal = AbortSignal.any(signal === undefined ? signals : [...signals, signal]);
    let session: PeerSession;
    try {
      const stream = await this.#init.node.dialProtocol(peerIdFromString(slot.remote), MOQ_PROTOCOL, { signal: dialSignal, maxOutboundStreams: MAX_MOQ_STREAMS, runOnLimitedConnection: true });
      if (slot.dialing !== ctl) {
        // The peer's session won while we were dialing.
        stream.abort(new Error("superseded by the peer's session"));
        return undefined;
      }
      session = this.#newSession(stream, slot.remote, "outbound");
    } catch (err) {
      if (ctl.signal.aborted && !this.#closing.signal.aborted) return undefined; // the peer's session won meanwhile
      return err as Error;
    } finally {
      if (slot.dialing === ctl) {
        slot.dialing = undefined;
        notify(slot);
      }
    }
    this.#adopt(slot, session);
    try {
      await raceAbort(session.ready, signal);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  #newSession(stream: Stream, remote: string, direction: "inbound" | "outbound"): PeerSession {
    return new PeerSession({
      remote,
      direction,
      stream,
      log: this.#init.log,
      published: this.#init.published,
      onUsage: () => {
        const slot = this.#slots.get(remote);
        if (slot !== undefined) this.#evaluate(slot);
      },
      framing: this.#init.framing,
    });
  }

  // Make `session` the peer's session, closing whatever it replaces.
  #adopt(slot: Slot, session: PeerSession): void {
    const prev = slot.current;
    slot.current = session;
    if (prev !== undefined && prev.end === undefined) {
      // Our own dial losing the tie-break is a duplicate; an older session of the peer's is obsolete.
      prev.close(prev.direction === "outbound" && session.direction === "inbound" ? CloseCode.Duplicate : CloseCode.Replaced, "superseded");
    }
    if (slot.uses > 0) session.setInterest(true);
    void session.ended.then((end) => this.#onEnded(slot, session, end));
    session.start(this.#closing.signal).then(
      () => {
        if (slot.current === session) this.#init.onOpened(session);
        notify(slot);
        this.#evaluate(slot);
      },
      () => notify(slot),
    );
    notify(slot);
    this.#evaluate(slot);
  }

  #onEnded(slot: Slot, session: PeerSession, end: SessionEnd): void {
    if (end.code === CloseCode.Duplicate && !end.local) slot.holdOffUntil = Date.now() + WAIT_FOR_WINNER_MS;
    if (slot.current !== session) return;
    slot.current = undefined;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
    notify(slot);
    // A session that lost the dial race was never the peer's session as far as anyone else knows.
    if (end.code !== CloseCode.Duplicate) this.#init.onClosed(session, end);
    this.#gc(slot);
  }

  #evaluate(slot: Slot): void {
    const s = slot.current;
    const idle = s !== undefined && s.end === undefined && slot.uses === 0 && !s.remoteInterest && s.served === 0;
    if (!idle) {
      clearTimeout(slot.idleTimer);
      slot.idleTimer = undefined;
      this.#gc(slot);
      return;
    }
    if (slot.idleTimer !== undefined) return;
    slot.idleTimer = setTimeout(() => {
      slot.idleTimer = undefined;
      if (slot.current === s && slot.uses === 0 && !s.remoteInterest && s.served === 0) s.close(CloseCode.Idle, "idle");
    }, this.#init.idleMs);
    slot.idleTimer.unref();
  }

  #slot(remote: string): Slot {
    let slot = this.#slots.get(remote);
    if (slot === undefined) {
      slot = { remote, current: undefined, dialing: undefined, uses: 0, idleTimer: undefined, holdOffUntil: 0, changed: Promise.withResolvers() };
      this.#slots.set(remote, slot);
    }
    return slot;
  }

  // Forget a peer we have nothing going on with.
  #gc(slot: Slot): void {
    if (slot.current === undefined && slot.dialing === undefined && slot.uses === 0 && slot.idleTimer === undefined) this.#slots.delete(slot.remote);
  }

  #assertOpen(): void {
    if (this.#closing.signal.aborted) throw new LiveClosedError();
  }
}

/** Whether a session ending this way means "try again" rather than "failed". */
export function retryable(end: SessionEnd): boolean {
  return end.code === CloseCode.Duplicate || end.code === CloseCode.Replaced;
}

function notify(slot: Slot): void {
  const prev = slot.changed;
  slot.changed = Promise.withResolvers();
  prev.resolve();
}

// Wait for `p` or `other`, whichever settles first; reject with the abort reason if `signal` fires first.
async function raceAbort(p: Promise<unknown>, signal: AbortSignal | undefined, other?: Promise<unknown>): Promise<void> {
  signal?.throwIfAborted();
  const { promise, reject } = Promise.withResolvers<never>();
  const onAbort = (): void => reject(abortReason(signal!));
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await Promise.race(other === undefined ? [p, promise] : [p, other, promise]);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
