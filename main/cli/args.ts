/** Command-line parsing for the `rooms` CLI (node:util parseArgs: built in, no hand-rolled parser). */
import { parseArgs } from "node:util";
import type { LogLevel } from "../log.ts";

/** A parsed command line. */
export type CliCommand =
  | { cmd: "create"; opts: PeerOpts }
  | { cmd: "join"; ticket: string; opts: PeerOpts }
  | { cmd: "serve"; opts: PeerOpts; port: number | undefined }
  | { cmd: "relay"; opts: RelayOpts }
  | { cmd: "help" };

/** Options shared by every peer command. */
export interface PeerOpts {
  name: string | undefined;
  dataDir: string | undefined;
  listen: string[];
  json: boolean;
  logLevel: LogLevel;
  /** Publish a camera broadcast from this source ("test": the committed test clip). */
  publish: "test" | undefined;
  /** Send each stdin line that is not a /command as chat. */
  chat: boolean;
  /** Print per-broadcast frame counts and latency once a second. */
  subscribeStats: boolean;
  /** Relays to hold a reservation on (multiaddrs ending in /p2p/<relay id>), so peers behind NATs can reach us. */
  relays: string[];
  /** STUN servers (`host:port`) for learning our public UDP address when hole punching; none by default. */
  stun: string[];
  /** Discover peers on the local network with mDNS. */
  mdns: boolean;
}

/** Options of `rooms relay`. */
export interface RelayOpts {
  dataDir: string | undefined;
  /** Listen addresses; empty means the relay's defaults (TCP 4001 and WebSocket 4002). */
  listen: string[];
  json: boolean;
  logLevel: LogLevel;
  /** Reservation cap; undefined means the default. */
  maxReservations: number | undefined;
}

/** Usage text. */
export const USAGE = `usage: rooms <command> [options]

commands:
  create                 create a room and print its ticket
  join <ticket>          join the room a ticket names
  serve                  run the app for a local browser and print its URL (browser mode)
  relay                  run a circuit relay for peers behind NATs and print its addresses

options:
  --name <name>          display name shown to others
  --data-dir <dir>       where the identity key lives (default: the per-user data folder)
  --listen <multiaddr>   address to listen on (repeatable; default /ip4/0.0.0.0/tcp/0)
  --json                 one JSON object per line on stdout
  --port <port>          serve: HTTP port on 127.0.0.1 (default: any free port)
  --log-level <level>    debug | info | warn | silent (default warn; logs go to stderr)
  --publish test         publish a camera broadcast (video + audio) from the looped test clip
  --chat                 send each stdin line (not starting with /) as a chat message
  --subscribe-stats      print per-broadcast frame counts and latency every second
  --relay <multiaddr>    reserve a slot on this relay (…/p2p/<relay id>) and advertise the
                         relayed address, so peers behind other NATs can reach us (repeatable)
  --stun <host:port>     STUN server for learning our public UDP address, so a direct path
                         (WebRTC hole punch) can replace the relay (repeatable; default none)
  --mdns                 find peers on the local network by mDNS (a ticket entry needs no address)
  --max-reservations <n> relay: most peers holding a reservation at once (default 128)

stdin (one command per line):
  /name <name>           change display name
  /publish <name>        announce a broadcast name
  /unpublish <name>      stop announcing it
  /screen on|off         share the test clip as a "screen" broadcast, or stop
  /leave                 leave gracefully and exit
`;

/** Thrown for a command line we cannot run; the message is shown to the user. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** `host:port` with a DNS name, an IPv4 address or a bracketed IPv6 address. */
const STUN_RE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([1-9]\d{0,4})$/;

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "silent"];

/** Parse argv (without node and script). */
export function parseCli(argv: string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        "data-dir": { type: "string" },
        listen: { type: "string", multiple: true },
        json: { type: "boolean", default: false },
        port: { type: "string" },
        "log-level": { type: "string", default: "warn" },
        publish: { type: "string" },
        chat: { type: "boolean", default: false },
        "subscribe-stats": { type: "boolean", default: false },
        relay: { type: "string", multiple: true },
        stun: { type: "string", multiple: true },
        mdns: { type: "boolean", default: false },
        "max-reservations": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals: [cmd, ...rest] } = parsed;
  if (v.help || cmd === undefined || cmd === "help") return { cmd: "help" };
  const logLevel = v["log-level"] as LogLevel;
  if (!LEVELS.includes(logLevel)) throw new UsageError(`--log-level must be one of ${LEVELS.join(", ")}`);
  if (v.publish !== undefined && v.publish !== "test") throw new UsageError(`--publish supports "test" only`);
  for (const s of v.stun ?? []) if (!STUN_RE.test(s)) throw new UsageError(`--stun ${JSON.stringify(s)}: expected host:port`);
  const opts: PeerOpts = {
    name: v.name, dataDir: v["data-dir"], listen: v.listen ?? [], json: v.json, logLevel,
    publish: v.publish, chat: v.chat, subscribeStats: v["subscribe-stats"], relays: v.relay ?? [], stun: v.stun ?? [], mdns: v.mdns,
  };
  switch (cmd) {
    case "create":
      if (rest.length > 0) throw new UsageError("create takes no arguments");
      return { cmd: "create", opts };
    case "join": {
      const [ticket, ...extra] = rest;
      if (ticket === undefined) throw new UsageError("join needs a ticket");
      if (extra.length > 0) throw new UsageError("join takes one ticket");
      return { cmd: "join", ticket, opts };
    }
    case "serve": {
      if (rest.length > 0) throw new UsageError("serve takes no arguments");
      const port = v.port === undefined ? undefined : Number(v.port);
      if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new UsageError("--port must be 0..65535");
      return { cmd: "serve", opts, port };
    }
    case "relay": {
      if (rest.length > 0) throw new UsageError("relay takes no arguments");
      const max = v["max-reservations"] === undefined ? undefined : Number(v["max-reservations"]);
      if (max !== undefined && !(Number.isInteger(max) && max >= 0)) throw new UsageError("--max-reservations must be a whole number");
      return { cmd: "relay", opts: { dataDir: v["data-dir"], listen: v.listen ?? [], json: v.json, logLevel, maxReservations: max } };
    }
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}
