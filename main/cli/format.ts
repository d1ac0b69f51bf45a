/** Human-readable lines for room events (the CLI without --json). */
import { shortPeerId } from "../../shared/ids.ts";
import type { PeerPathChanged, RoomEvent } from "../room/events.ts";

/** Escape control characters in peer-supplied text so a name cannot rewrite the terminal. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "\uFFFD");
}

/** One line describing an event. */
export function formatEvent(ev: RoomEvent): string {
  const who = (name: string | undefined): string => (name !== undefined ? `${safeText(name)} (${shortPeerId(ev.remote)})` : shortPeerId(ev.remote));
  switch (ev.type) {
    case "PeerJoined":
      return `+ ${who(ev.displayName)} joined`;
    case "RemoteAnnounced":
      return `  ${shortPeerId(ev.remote)} publishes [${ev.broadcasts.map(safeText).join(", ")}]`;
    case "PeerUpdated":
      return `~ ${shortPeerId(ev.remote)} is now ${who(ev.displayName)}`;
    case "PeerLeft":
      return `- ${shortPeerId(ev.remote)} left (${ev.reason})`;
    case "BroadcastSubscribed": {
      const v = Object.values(ev.catalog.video?.renditions ?? {})[0];
      const media = v === undefined ? "no video" : `${safeText(v.codec)} ${v.codedWidth ?? "?"}x${v.codedHeight ?? "?"}`;
      return `> subscribed to ${shortPeerId(ev.remote)}/${safeText(ev.name)} (${media})`;
    }
    case "BroadcastEnded":
      return `< ${shortPeerId(ev.remote)}/${safeText(ev.name)} ended (${safeText(ev.reason)})`;
    case "ChatReceived":
      return `${ev.history ? "[history] " : ""}<${shortPeerId(ev.remote)}> ${safeText(ev.text)}`;
    default: {
      const never: never = ev;
      return JSON.stringify(never);
    }
  }
}

/** One line describing a path change. */
export function formatPath(ev: PeerPathChanged): string {
  return `~ ${shortPeerId(ev.remote)} via ${ev.path}${ev.rttMs === undefined ? "" : ` (rtt ${ev.rttMs} ms)`}`;
}
