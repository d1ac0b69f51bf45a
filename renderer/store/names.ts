/** How people are named in the UI. Peer-supplied names are untrusted text: callers render them as text. */
import { shortPeerId } from "../../shared/ids.ts";

/** A participant's shown name: their display name, or a stable placeholder from their peer id. */
export function nameOf(peerId: string, displayName: string | undefined): string {
  const name = displayName?.trim();
  return name ? name : `Guest ${shortPeerId(peerId)}`;
}

/** One or two letters for an avatar placeholder. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter((w) => w.length > 0);
  const first = (w: string | undefined): string => (w === undefined ? "" : (Array.from(w)[0] ?? "").toLocaleUpperCase());
  if (words.length === 0) return "?";
  return words.length === 1 ? first(words[0]) : first(words[0]) + first(words[words.length - 1]);
}
