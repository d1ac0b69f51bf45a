#!/usr/bin/env node
/**
 * `rooms`: a headless Live Rooms peer for bots, tests and benchmarks.
 * Runs the same core as the desktop app (main/room, main/net), without Electron.
 */
import { createInterface } from "node:readline";
import { RoomTicket, TicketError } from "../../shared/ticket.ts";
import { stderrLog } from "../log.ts";
import { loadOrCreateIdentity } from "../net/identity.ts";
import { createRoomsNode, DEFAULT_LISTEN } from "../net/node.ts";
import { defaultDataDir } from "../paths.ts";
import { Room } from "../room/room.ts";
import type { RoomEvent } from "../room/events.ts";
import { parseCli, USAGE, UsageError, type PeerOpts } from "./args.ts";
import { formatEvent } from "./format.ts";

async function runPeer(ticket: RoomTicket, opts: PeerOpts): Promise<void> {
  const log = stderrLog("rooms", opts.logLevel);
  const privateKey = await loadOrCreateIdentity(opts.dataDir ?? defaultDataDir());
  const node = await createRoomsNode({ privateKey, listen: opts.listen.length > 0 ? opts.listen : DEFAULT_LISTEN });
  const room = await Room.join({ node, privateKey, log }, { ticket, ...(opts.name !== undefined && { displayName: opts.name }) });
  const out = (line: string): void => void process.stdout.write(line + "\n");
  const ready = { type: "ready", peerId: room.handle.me, ticket: room.ticket().toString() };
  out(opts.json ? JSON.stringify(ready) : `ready: peer ${ready.peerId}\nticket: ${ready.ticket}`);

  let leaving = false;
  const leave = async (): Promise<void> => {
    if (leaving) return;
    leaving = true;
    await room.handle.leave().catch((err: unknown) => log.warn("leave failed", { error: String(err) }));
    await node.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void leave());
  process.once("SIGTERM", () => void leave());

  createInterface({ input: process.stdin }).on("line", (line) => {
    const [cmd, ...rest] = line.trim().split(/\s+/);
    const arg = rest.join(" ");
    const done = (p: Promise<void>): void => void p.catch((err: unknown) => log.warn(`${cmd} failed`, { error: String(err) }));
    if (cmd === "/name") done(room.handle.setDisplayName(arg || undefined));
    else if (cmd === "/publish" && arg) done(room.handle.publish(arg));
    else if (cmd === "/unpublish" && arg) done(room.handle.unpublish(arg));
    else if (cmd === "/leave") void leave();
    else if (cmd) log.warn("unknown stdin command", { line });
  });

  for await (const ev of room) out(opts.json ? JSON.stringify(ev satisfies RoomEvent) : formatEvent(ev));
}

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
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as Error & { code?: string };
    const text = e instanceof UsageError ? `${e.message}\n\n${USAGE}` : e instanceof TicketError ? `bad ticket (${e.code}): ${e.message}` : e.message;
    process.stderr.write(`rooms: ${text}\n`);
    process.exit(e instanceof UsageError ? 64 : 1);
  },
);
