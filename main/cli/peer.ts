/** The `rooms create|join` peer: joins a room, prints events, takes commands and chat on stdin. */
import { createInterface } from "node:readline";
import type { RoomTicket } from "../../shared/ticket.ts";
import { TRACKS } from "../../shared/media/catalog.ts";
import { stderrLog, type Log } from "../log.ts";
import { loadOrCreateIdentity } from "../net/identity.ts";
import { createRoomsNode, DEFAULT_LISTEN } from "../net/node.ts";
import { parseRelayAddr, RelayKeeper } from "../net/relay-client.ts";
import { defaultDataDir } from "../paths.ts";
import { RoomPublisherSync } from "../media/publisher-sync.ts";
import { startTestAudio, startTestVideo } from "../media/test-source.ts";
import { countTrack, type TrackCounters } from "../media/track-stats.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { Room } from "../room/room.ts";
import { toPlainEvent, type BroadcastSubscribed } from "../room/events.ts";
import type { PeerOpts } from "./args.ts";
import { formatEvent, formatPath } from "./format.ts";
import { summarize } from "../../shared/stats.ts";

const RESERVATION_WAIT_MS = 6_000;

/** Join (or create) the room and run until SIGINT/SIGTERM or `/leave`. */
export async function runPeer(ticket: RoomTicket, opts: PeerOpts): Promise<void> {
  const log = stderrLog("rooms", opts.logLevel);
  for (const r of opts.relays) parseRelayAddr(r); // refuse a bad --relay before doing anything
  const privateKey = await loadOrCreateIdentity(opts.dataDir ?? defaultDataDir());
  const node = await createRoomsNode({
    privateKey,
    listen: opts.listen.length > 0 ? opts.listen : DEFAULT_LISTEN,
    relayReservations: opts.relays.length,
    stun: opts.stun,
    mdns: opts.mdns,
    log,
  });
  const relays = RelayKeeper.start(node, opts.relays, log);
  // The printed ticket should carry our relayed address, so give the reservation a moment (not forever).
  await relays.settled(RESERVATION_WAIT_MS);
  const media = await createRoomMedia(node, log);
  const room = await Room.join({ node, privateKey, log, media }, { ticket, ...(opts.name !== undefined && { displayName: opts.name }) });
  const out = (obj: Record<string, unknown>, text: string): void => void process.stdout.write((opts.json ? JSON.stringify(obj) : text) + "\n");
  const publisher = opts.publish !== undefined || opts.chat
    ? await RoomPublisherSync.create(room.handle, opts.publish === "test" ? { camera: startTestVideo, audio: startTestAudio, screen: startTestVideo } : {})
    : undefined;
  if (opts.publish === "test") await publisher?.setState({ camera: true, audio: true, screen: false });
  const ready = { type: "ready", peerId: room.handle.me, ticket: room.ticket().toString(), relays: relays.states() };
  out(ready, `ready: peer ${ready.peerId}\nticket: ${ready.ticket}`);
  room.onPathChanged((ev) => out({ ...ev }, formatPath(ev)));

  let leaving = false;
  const leave = async (): Promise<void> => {
    if (leaving) return;
    leaving = true;
    await room.handle.leave().catch((err: unknown) => log.warn("leave failed", { error: String(err) }));
    relays.stop();
    publisher?.close();
    await media.close();
    await node.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void leave());
  process.once("SIGTERM", () => void leave());

  createInterface({ input: process.stdin }).on("line", (line) => void onLine(line.trim()));
  const onLine = async (line: string): Promise<void> => {
    const [cmd, ...rest] = line.split(/\s+/);
    const arg = rest.join(" ");
    try {
      if (cmd === "/name") await room.handle.setDisplayName(arg || undefined);
      else if (cmd === "/publish" && arg) await room.handle.publish(arg);
      else if (cmd === "/unpublish" && arg) await room.handle.unpublish(arg);
      else if (cmd === "/screen" && publisher !== undefined) await publisher.setState({ ...publisher.state(), screen: arg === "on" });
      else if (cmd === "/leave") await leave();
      else if (line.startsWith("/")) log.warn("unknown stdin command", { line });
      else if (line && opts.chat) {
        const sent = await room.handle.sendChat(line);
        out({ type: "ChatSent", text: line, ...sent }, `<me> ${line}`);
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      out({ type: "error", command: cmd, code: e.code ?? e.name, message: e.message }, `error: ${e.message}`);
    }
  };

  for await (const ev of room) {
    out(toPlainEvent(ev), formatEvent(ev));
    if (ev.type === "BroadcastSubscribed" && opts.subscribeStats) watchStats(ev, out, log);
  }
}

/** Count frames of every media rendition of a subscribed broadcast; print a stats line per second. */
function watchStats(ev: BroadcastSubscribed, out: (obj: Record<string, unknown>, text: string) => void, log: Log): void {
  const tracks = [
    ...Object.keys(ev.catalog.video?.renditions ?? {}).map((t) => [t, TRACKS.videoPriority] as const),
    ...Object.keys(ev.catalog.audio?.renditions ?? {}).map((t) => [t, TRACKS.audioPriority] as const),
  ];
  for (const [track, priority] of tracks) {
    const c: TrackCounters = { frames: 0, bytes: 0, delaysMs: [], outOfOrder: 0 };
    let before = 0;
    const timer = setInterval(() => {
      const d = summarize(c.delaysMs);
      c.delaysMs = [];
      const recent = c.frames - before;
      before = c.frames;
      const line = { type: "stats", remote: ev.remote, name: ev.name, track, frames: c.frames, framesLastSecond: recent, bytes: c.bytes, outOfOrder: c.outOfOrder, delayP50Ms: d.p50, delayMaxMs: d.max };
      out(line, `# ${ev.name}/${track}: ${c.frames} frames, delay p50 ${d.p50} ms max ${d.max} ms`);
    }, 1000);
    void countTrack(ev.broadcast.consumer, track, priority, c)
      .catch((err: unknown) => log.debug("stats track ended", { track, error: String(err) }))
      .finally(() => clearInterval(timer));
  }
}
