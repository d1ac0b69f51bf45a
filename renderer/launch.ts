/**
 * What the page was opened with: browser mode's session token and an optional `?ticket=` (or a
 * `liverooms://join/…` link passed as the ticket).
 */
import { ticketFromInput } from "../shared/links.ts";

/** Launch parameters. */
export interface LaunchParams {
  /** Browser mode's token; undefined under Electron or after it was taken out of the address bar. */
  token: string | undefined;
  ticket: string | undefined;
}

/** Read the launch parameters and take the token out of the address bar (it stays valid via an HttpOnly cookie). */
export function readLaunchParams(loc: Pick<Location, "href">, history: Pick<History, "replaceState"> | undefined): LaunchParams {
  const url = new URL(loc.href);
  const token = url.searchParams.get("token") ?? undefined;
  const rawTicket = url.searchParams.get("ticket");
  if (token !== undefined && history !== undefined) {
    // Keeps the secret out of screenshots, screen shares and the history list.
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  return { token, ticket: rawTicket === null || rawTicket.trim() === "" ? undefined : ticketFromInput(rawTicket) };
}
