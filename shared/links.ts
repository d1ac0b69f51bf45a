/**
 * `liverooms://join/<ticket>` links: how a ticket reaches the app from outside (a browser, a chat message,
 * the command line). The ticket inside is still untrusted: parse it with RoomTicket.tryParse.
 */

/** URL scheme the desktop app registers. */
export const LINK_SCHEME = "liverooms";
const JOIN_PREFIX = `${LINK_SCHEME}://join/`;

/** The ticket text of a join link, or undefined when `s` is not one. */
export function ticketFromLink(s: string): string | undefined {
  const text = s.trim();
  if (text.slice(0, JOIN_PREFIX.length).toLowerCase() !== JOIN_PREFIX) return undefined;
  const rest = text.slice(JOIN_PREFIX.length).replace(/\/+$/, "");
  try {
    // Links may arrive percent-encoded by the OS or a browser; tickets themselves are plain base32.
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** What the user pasted, as ticket text: a join link is unwrapped, anything else is returned trimmed. */
export function ticketFromInput(s: string): string {
  return ticketFromLink(s) ?? s.trim();
}

/** A join link for a ticket. */
export function joinLink(ticket: string): string {
  return JOIN_PREFIX + ticket;
}

/** The first join link among command-line arguments (how the OS hands a clicked link to the app). */
export function ticketFromArgv(argv: readonly string[]): string | undefined {
  for (const a of argv) {
    const t = ticketFromLink(a);
    if (t !== undefined) return t;
  }
  return undefined;
}
