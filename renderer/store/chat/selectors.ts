/** Chat slice selectors: the timeline of messages and presence notices, with names resolved. */
import { memoizeLast } from "../memo.ts";
import { nameOf } from "../names.ts";
import type { PresenceNotice } from "../room/state.ts";
import type { AppState } from "../types.ts";
import type { ChatEntry } from "./state.ts";

/** One row of the chat panel. */
export type TimelineItem =
  | { kind: "chat"; id: string; sender: string; self: boolean; text: string; at: number; status: ChatEntry["status"]; error?: string; history: boolean }
  | { kind: "notice"; id: string; text: string; at: number };

const LEFT_WORDS: Record<string, string> = { left: "left", "connection-lost": "lost connection", expired: "timed out" };

/** The words of a presence notice. */
export function noticeText(n: PresenceNotice): string {
  return n.kind === "joined" ? `${n.name} joined` : `${n.name} ${LEFT_WORDS[n.reason ?? "left"] ?? "left"}`;
}

const timeline = memoizeLast(
  (messages: ChatEntry[], notices: PresenceNotice[], knownNames: Record<string, string>, myName: string): TimelineItem[] => {
    const items: TimelineItem[] = [
      ...messages.map((m): TimelineItem => ({
        kind: "chat",
        id: m.id,
        sender: m.self ? myName : (knownNames[m.from] ?? nameOf(m.from, undefined)),
        self: m.self,
        text: m.text,
        at: m.at,
        status: m.status,
        history: m.history,
        ...(m.error !== undefined && { error: m.error }),
      })),
      ...notices.map((n): TimelineItem => ({ kind: "notice", id: n.id, text: noticeText(n), at: n.at })),
    ];
    // Stable: equal times keep arrival order (messages before notices of the same millisecond).
    return items.map((item, i) => ({ item, i })).sort((a, b) => a.item.at - b.item.at || a.i - b.i).map((x) => x.item);
  },
);

/** The chat panel's rows, oldest first. */
export const selectTimeline = (s: AppState): TimelineItem[] =>
  timeline(s.messages, s.notices, s.knownNames, nameOf(s.me ?? s.identity?.peerId ?? "", s.identity?.displayName));

/** How many messages there are (to scroll to the newest when it changes). */
export const selectMessageCount = (s: AppState): number => s.messages.length;
