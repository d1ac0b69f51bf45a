/**
 * What the room needs from the media transport (implemented by main/moq's Live): publishing broadcasts
 * to room peers and subscribing to theirs. Kept as a narrow interface so room logic and MoQ sessions
 * stay apart (and the room core runs without media where none is wanted).
 */
import type * as Moq from "@moq/net";

/** A subscribed remote broadcast. */
export interface RemoteBroadcastHandle {
  readonly remote: string;
  readonly name: string;
  readonly consumer: Moq.Broadcast.Consumer;
  /** Settles when the remote ends the broadcast or the session to it closes. */
  readonly ended: Promise<unknown>;
  /** Stop consuming (we no longer want it). */
  close(): void;
}

/** The media transport as the room sees it. */
export interface RoomMedia {
  /** Offer a broadcast under `name` to every room peer, now and later. */
  publish(name: string, producer: Moq.Broadcast.Producer): void;
  /** Withdraw a broadcast. */
  unpublish(name: string): void;
  /** Subscribe to a peer's broadcast; resolves once the peer has announced it to us. */
  subscribe(remote: string, name: string, opts: { signal: AbortSignal }): Promise<RemoteBroadcastHandle>;
}
