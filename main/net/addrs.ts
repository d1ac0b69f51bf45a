/**
 * Ordering of our own addresses for tickets and room state, which keep only the first few: direct addresses
 * others can most likely reach come first, relay circuits next (they work from anywhere the relay is
 * reachable), loopback last (useful only to peers on this machine).
 */
import { multiaddr } from "@multiformats/multiaddr";

const CIRCUIT = "/p2p-circuit";

function rank(addr: string): number {
  if (addr.includes(CIRCUIT)) return 2;
  let host: string | undefined;
  try {
    host = multiaddr(addr).getComponents()[0]?.value;
  } catch {
    return 4;
  }
  if (host === undefined) return 4;
  if (host.startsWith("127.") || host === "::1") return 3;
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|fe80:|f[cd])/i.test(host)) return 1;
  return 0;
}

/** `addrs` sorted by how widely reachable each is (stable within a rank). */
export function rankAddrs(addrs: readonly string[]): string[] {
  return addrs.map((a, i) => ({ a, i, r: rank(a) })).sort((x, y) => x.r - y.r || x.i - y.i).map((x) => x.a);
}

/**
 * The addresses a ticket may carry: tickets take plain relay circuits only (shared/ticket.ts), and a
 * `…/p2p-circuit/webrtc` address adds nothing there, since the direct-path upgrade derives it from the relayed
 * connection (main/net/path-upgrade.ts). Room state keeps them.
 */
export function ticketAddrs(addrs: readonly string[]): string[] {
  return addrs.filter((a) => !a.includes("/webrtc"));
}
