/**
 * Chat on a broadcast (iroh-live's wire format; see shared/media/chat.ts): one group per message, one
 * UTF-8 frame per group, frame timestamp = sender's wall clock in µs.
 *
 * History for late joiners, which iroh-live lacks: the chat track keeps its groups for
 * {@link CHAT_HISTORY_MS} (moq's per-track replay cache, `latencyMax`), so a new subscriber first
 * receives the last ten minutes of messages, in order, then live ones. A message counts as history
 * when the sender's clock says it was sent before our subscription started; with clocks in NTP sync
 * (tens of ms apart) only a message sent in that sliver around our join can be labelled either way.
 */
import * as Moq from "@moq/net";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import { decodeChat, encodeChat } from "../../shared/media/chat.ts";
import { TRACKS } from "../../shared/media/catalog.ts";
import { wallClockMicros } from "./time.ts";

/** How long sent messages stay available to late joiners. */
export const CHAT_HISTORY_MS = 10 * 60_000;

/** A message as read off a chat track. */
export interface ChatFrame {
  text: string;
  /** Sender's wall clock, milliseconds since the epoch. */
  sentAt: number;
  /** Group sequence: unique and increasing per sender broadcast. */
  seq: number;
  history: boolean;
}

/** Sends chat on one broadcast's chat track. */
export class ChatPublisher {
  readonly #track: Moq.Track.Producer;

  constructor(broadcast: Moq.Broadcast.Producer) {
    this.#track = broadcast.createTrack(TRACKS.chat.name, {
      priority: TRACKS.chat.priority, ordered: true, latencyMax: CHAT_HISTORY_MS, timescale: Moq.Time.Timescale.MICRO,
    });
  }

  /** Send one message; throws ChatRejected for empty or over-long text. */
  send(text: string): { seq: number; sentAt: number } {
    const payload = encodeChat(text);
    const us = wallClockMicros();
    const g = this.#track.appendGroup();
    g.writeFrame({ payload, timestamp: Moq.Time.Timestamp.fromMicros(us) });
    g.close();
    return { seq: g.sequence, sentAt: Math.floor(us / 1000) };
  }

  /** End the chat track. */
  close(): void {
    this.#track.close();
  }
}

/** Read a remote chat track until it ends; malformed frames are reported through `onDrop` and skipped. */
export async function* readChat(broadcast: Moq.Broadcast.Consumer, track: string, onDrop: (err: ProtocolViolation) => void): AsyncGenerator<ChatFrame> {
  const since = wallClockMicros();
  // startGroup 0: ask for everything the publisher still caches; by default moq starts at the newest group.
  const sub = broadcast.subscribe(track, { priority: TRACKS.chat.priority, ordered: true, startGroup: 0 });
  try {
    for (;;) {
      const group = await sub.recvGroup();
      if (group === undefined) return;
      const frame = await group.readFrame();
      if (frame === undefined) continue;
      let text: string;
      try {
        text = decodeChat(frame.payload);
      } catch (err) {
        if (err instanceof ProtocolViolation) {
          onDrop(err);
          continue;
        }
        throw err;
      }
      const us = frame.timestamp.asMicros();
      yield { text, sentAt: Math.floor(us / 1000), seq: group.sequence, history: us < since };
    }
  } finally {
    sub.close();
  }
}
