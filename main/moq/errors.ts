/** Errors raised by the MoQ-over-libp2p layer. Bytes off the wire raise shared/codec's ProtocolViolation instead. */

/** Why a MoQ session ended, as seen from our side. */
export interface SessionEnd {
  /** qmux close code: one of {@link CloseCode} for our own closes, whatever the peer sent otherwise. */
  readonly code: number;
  readonly reason: string;
  /** True when we closed it, false when the peer did or the connection dropped. */
  readonly local: boolean;
  /** Set when the session failed (protocol violation, dropped connection) rather than closing cleanly. */
  readonly error?: Error;
}

/** qmux application close codes this layer sends. */
export const CloseCode = {
  /** Normal shutdown: `Live.close()` or the node stopping. */
  Closed: 0,
  /** No broadcast used the session for the idle delay. */
  Idle: 1,
  /** Both sides dialed at once and this session lost the tie-break; the other one carries on. */
  Duplicate: 2,
  /** The peer opened a new session, so its previous one is obsolete. */
  Replaced: 3,
} as const;

/** The session a request was waiting on ended. */
export class SessionClosedError extends Error {
  override name = "SessionClosedError";
  readonly code = "session-closed";
  readonly remote: string;
  readonly end: SessionEnd;

  constructor(remote: string, end: SessionEnd) {
    super(`MoQ session with ${remote} closed: ${end.error?.message ?? (end.reason || `code ${end.code}`)}`, { cause: end.error });
    this.remote = remote;
    this.end = end;
  }
}

/** The Live instance was closed while (or before) the operation ran. */
export class LiveClosedError extends Error {
  override name = "LiveClosedError";
  readonly code = "live-closed";

  constructor() {
    super("live media layer is closed");
  }
}

/** A broadcast name that cannot be used (not a normalized path, or reserved for this layer). */
export class InvalidBroadcastNameError extends Error {
  override name = "InvalidBroadcastNameError";
  readonly code = "invalid-broadcast-name";
}

/** A track ended before delivering the frame we waited for. */
export class TrackEndedError extends Error {
  override name = "TrackEndedError";
  readonly code = "track-ended";
}

/** The reason an AbortSignal fired, as an Error (a signal may be aborted with anything). */
export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new Error(String(r));
}
