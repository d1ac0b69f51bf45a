/**
 * Test hosts in Linux network namespaces: a "public" host (the relay), and peers each behind its own NAT
 * (a router namespace masquerading its LAN onto the public segment and dropping unsolicited inbound).
 * No traffic leaves these namespaces: the public host has no route to anything but the routers.
 * The public host can also run a STUN server ({@link startStun}, Debian's coturn), so peers learn the
 * address their NAT maps them to, as they would from a STUN server on the internet.
 *
 *   peer A 10.1.0.2 ── 10.1.0.1 router A 198.18.1.2 ── 198.18.1.1 ┐
 *                                                                  public (relay; forwards between routers)
 *   peer B 10.2.0.2 ── 10.2.0.1 router B 198.18.2.2 ── 198.18.2.1 ┘
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";

/** Run `ip …`; throws with stderr on failure. */
export function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

function inNs(ns: string, cmd: string, ...args: string[]): void {
  execFileSync("ip", ["netns", "exec", ns, cmd, ...args], { stdio: ["ignore", "ignore", "pipe"] });
}

/** Why namespaces cannot be used here, or undefined when they can (probed by creating and deleting one). */
export function netnsUnavailable(): string | undefined {
  const probe = `lr-probe-${process.pid}`;
  try {
    ip("netns", "add", probe);
    ip("netns", "del", probe);
  } catch (err) {
    return `network namespaces unavailable (needs root and iproute2): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`;
  }
  try {
    execFileSync("iptables", ["-V"], { stdio: "ignore" });
  } catch {
    return "iptables is not installed (apt-get install iptables)";
  }
  return undefined;
}

/** One NATed site: the peer's namespace and its router's. */
export interface NatSite {
  peer: string;
  router: string;
  /** The peer's LAN address. */
  addr: string;
  /** The peer's interface (cut it with {@link cutLink}). */
  dev: string;
  gateway: string;
}

/** The namespaces of one topology. */
export interface NatTopology {
  pub: string;
  /** Relay addresses on the public host, one per router-facing interface. */
  pubAddrs: string[];
  sites: NatSite[];
  destroy(): void;
}

/** Build the public host plus `sites` NATed peers (at most 9); names carry the pid so parallel runs do not collide. */
export function buildNatTopology(sites = 2): NatTopology {
  const tag = `${process.pid % 100000}`;
  const pub = `lr${tag}-pub`;
  const made: string[] = [];
  const add = (ns: string): string => {
    ip("netns", "add", ns);
    made.push(ns);
    ip("-n", ns, "link", "set", "lo", "up");
    return ns;
  };
  const destroy = (): void => {
    for (const ns of made.splice(0)) {
      try {
        ip("netns", "del", ns);
      } catch {
        // already gone
      }
    }
  };
  try {
    add(pub);
    inNs(pub, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    const out: NatSite[] = [];
    const pubAddrs: string[] = [];
    for (let i = 1; i <= sites; i++) {
      const router = add(`lr${tag}-r${i}`);
      const peer = add(`lr${tag}-p${i}`);
      // Public segment 198.18.i.0/24 (RFC 2544 benchmark range), LAN 10.i.0.0/24.
      ip("link", "add", "wan", "netns", router, "type", "veth", "peer", "name", `r${i}`, "netns", pub);
      ip("-n", pub, "addr", "add", `198.18.${i}.1/24`, "dev", `r${i}`);
      ip("-n", pub, "link", "set", `r${i}`, "up");
      ip("-n", router, "addr", "add", `198.18.${i}.2/24`, "dev", "wan");
      ip("-n", router, "link", "set", "wan", "up");
      ip("-n", router, "route", "add", "default", "via", `198.18.${i}.1`);
      ip("link", "add", "lan", "netns", router, "type", "veth", "peer", "name", "eth0", "netns", peer);
      ip("-n", router, "addr", "add", `10.${i}.0.1/24`, "dev", "lan");
      ip("-n", router, "link", "set", "lan", "up");
      ip("-n", peer, "addr", "add", `10.${i}.0.2/24`, "dev", "eth0");
      ip("-n", peer, "link", "set", "eth0", "up");
      ip("-n", peer, "route", "add", "default", "via", `10.${i}.0.1`);
      inNs(router, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      // A home router: outbound is masqueraded, inbound only for connections the LAN opened.
      inNs(router, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
      inNs(router, "iptables", "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
      inNs(router, "iptables", "-A", "FORWARD", "-i", "wan", "-j", "DROP");
      // Its firewall also drops unsolicited packets to the router itself, as home routers do. Without this a
      // hole-punch packet that arrives before our side has sent one is answered (ICMP port unreachable) and
      // leaves a conntrack entry for that 4-tuple, so our own packet to the same peer then gets a different
      // source port: the NAT would look symmetric and UDP hole punching would fail. A dropped packet's
      // conntrack entry is never confirmed, so the mapping stays endpoint-independent.
      inNs(router, "iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
      inNs(router, "iptables", "-A", "INPUT", "-i", "wan", "-j", "DROP");
      out.push({ peer, router, addr: `10.${i}.0.2`, dev: "eth0", gateway: `10.${i}.0.1` });
      pubAddrs.push(`198.18.${i}.1`);
    }
    return { pub, pubAddrs, sites: out, destroy };
  } catch (err) {
    destroy();
    throw err;
  }
}

/** Take a peer's interface down (its routes go with it, as when Wi-Fi drops). */
export function cutLink(site: NatSite): void {
  ip("-n", site.peer, "link", "set", site.dev, "down");
}

/** Bring the interface back and restore the default route (what DHCP would do). */
export function restoreLink(site: NatSite): void {
  ip("-n", site.peer, "link", "set", site.dev, "up");
  ip("-n", site.peer, "route", "replace", "default", "via", site.gateway);
}

/** A STUN server running on the public host. */
export interface StunServer {
  /** `host:port` for each public address (pass one to a peer as `--stun`). */
  addrs: string[];
  stop(): Promise<void>;
}

/** Why a STUN server cannot be started, or undefined when coturn's `turnserver` is installed. */
export function stunUnavailable(): string | undefined {
  try {
    execFileSync("turnserver", ["--version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "coturn is not installed (apt-get install coturn; .ci/run does it)";
  }
}

/**
 * Start coturn as a plain STUN server (`-S`: binding requests only, no TURN relaying, no auth) on every
 * public address of the topology, port 3478. Resolves once it listens.
 */
export async function startStun(topo: NatTopology): Promise<StunServer> {
  const why = stunUnavailable();
  if (why !== undefined) throw new Error(why);
  const args = ["-S", "-z", "-p", "3478", "--no-tls", "--no-dtls", "--no-cli", "--no-software-attribute", "--pidfile", `/tmp/${topo.pub}-stun.pid`,
    "--log-file", "stdout", ...topo.pubAddrs.flatMap((a) => ["-L", a])];
  const proc: ChildProcess = spawn("ip", ["netns", "exec", topo.pub, "turnserver", ...args], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const listening = execFileSync("ip", ["netns", "exec", topo.pub, "ss", "-lun"], { encoding: "utf8" });
    if (topo.pubAddrs.every((a) => listening.includes(`${a}:3478`))) break;
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`STUN server did not start (exit ${proc.exitCode})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    addrs: topo.pubAddrs.map((a) => `${a}:3478`),
    stop: async () => {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Drop (or allow again) UDP forwarded between the NATed sites on the public host: hole punching then fails
 * while STUN (answered by the public host itself) and the relay (TCP) keep working.
 */
export function blockUdpBetweenSites(topo: NatTopology, blocked: boolean): void {
  inNs(topo.pub, "iptables", blocked ? "-I" : "-D", "FORWARD", "-p", "udp", "-j", "DROP");
}

/** Two or more hosts on one LAN segment (a bridge in its own namespace), no router, no other route. */
export interface LanTopology {
  hosts: { ns: string; addr: string }[];
  destroy(): void;
}

/** Build `count` hosts 10.77.0.(i+1)/24 on one bridge (multicast works between them, e.g. mDNS). */
export function buildLan(count = 2): LanTopology {
  const tag = `${process.pid % 100000}`;
  const made: string[] = [];
  const destroy = (): void => {
    for (const ns of made.splice(0)) {
      try {
        ip("netns", "del", ns);
      } catch {
        // already gone
      }
    }
  };
  try {
    const sw = `lr${tag}-lan`;
    ip("netns", "add", sw);
    made.push(sw);
    ip("-n", sw, "link", "add", "br0", "type", "bridge");
    ip("-n", sw, "link", "set", "br0", "up");
    const hosts: LanTopology["hosts"] = [];
    for (let i = 1; i <= count; i++) {
      const ns = `lr${tag}-h${i}`;
      ip("netns", "add", ns);
      made.push(ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", `p${i}`, "netns", sw);
      ip("-n", sw, "link", "set", `p${i}`, "master", "br0");
      ip("-n", sw, "link", "set", `p${i}`, "up");
      ip("-n", ns, "addr", "add", `10.77.0.${i}/24`, "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      // Multicast needs a route; a LAN host would have its default route here.
      ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
      hosts.push({ ns, addr: `10.77.0.${i}` });
    }
    return { hosts, destroy };
  } catch (err) {
    destroy();
    throw err;
  }
}
