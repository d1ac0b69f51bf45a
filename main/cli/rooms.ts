#!/usr/bin/env node
/**
 * `rooms`: a headless Live Rooms peer for bots, tests and benchmarks, and the relay node (`rooms relay`).
 * Runs the same core as the desktop app (main/room, main/net), without Electron.
 */
import { RoomTicket, TicketError } from "../../shared/ticket.ts";
import { RelayAddressError } from "../net/relay-client.ts";
import { parseCli, USAGE, UsageError } from "./args.ts";
import { runPeer } from "./peer.ts";
import { runRelay } from "./relay.ts";
import { runServe } from "./serve.ts";

async function main(argv: string[]): Promise<number> {
  const cmd = parseCli(argv);
  switch (cmd.cmd) {
    case "help":
      process.stdout.write(USAGE);
      return 0;
    case "create":
      await runPeer(RoomTicket.generate(), cmd.opts);
      return 0;
    case "join":
      await runPeer(RoomTicket.parse(cmd.ticket), cmd.opts);
      return 0;
    case "serve":
      await runServe(cmd.opts, cmd.port);
      return 0;
    case "relay":
      await runRelay(cmd.opts);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error & { code?: string };
    const text = e instanceof UsageError ? `${e.message}\n\n${USAGE}` : e instanceof RelayAddressError ? `bad --relay: ${e.message}` : e instanceof TicketError ? `bad ticket (${e.code}): ${e.message}` : e.message;
    process.stderr.write(`rooms: ${text}\n`);
    process.exit(e instanceof UsageError ? 64 : 1);
  },
);
