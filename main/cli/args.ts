/** Command-line parsing for the `rooms` CLI (node:util parseArgs: built in, no hand-rolled parser). */
import { parseArgs } from "node:util";
import type { LogLevel } from "../log.ts";

/** A parsed command line. */
export type CliCommand =
  | { cmd: "create"; opts: PeerOpts }
  | { cmd: "join"; ticket: string; opts: PeerOpts }
  | { cmd: "help" };

/** Options shared by every peer command. */
export interface PeerOpts {
  name: string | undefined;
  dataDir: string | undefined;
  listen: string[];
  json: boolean;
  logLevel: LogLevel;
}

/** Usage text. */
export const USAGE = `usage: rooms <command> [options]

commands:
  create                 create a room and print its ticket
  join <ticket>          join the room a ticket names

options:
  --name <name>          display name shown to others
  --data-dir <dir>       where the identity key lives (default: the per-user data folder)
  --listen <multiaddr>   address to listen on (repeatable; default /ip4/0.0.0.0/tcp/0)
  --json                 one JSON object per line on stdout
  --log-level <level>    debug | info | warn | silent (default warn; logs go to stderr)

stdin (one command per line):
  /name <name>           change display name
  /publish <name>        announce a broadcast name
  /unpublish <name>      stop announcing it
  /leave                 leave gracefully and exit
`;

/** Thrown for a command line we cannot run; the message is shown to the user. */
export class UsageError extends Error {
  override name = "UsageError";
}

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
        "log-level": { type: "string", default: "warn" },
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
  const opts: PeerOpts = { name: v.name, dataDir: v["data-dir"], listen: v.listen ?? [], json: v.json, logLevel };
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
    default:
      throw new UsageError(`unknown command "${cmd}"`);
  }
}
