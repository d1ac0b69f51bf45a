/**
 * A benchmark peer in its own process: joins a room with the real core, optionally publishes a synthetic
 * broadcast (random payloads sized like 720p video at ~2 Mbit/s and/or 20 ms audio frames), subscribes to
 * everyone, and prints JSON lines: {"type":"ready"}, per-second {"type":"delays"} samples, chat delays,
 * and {"type":"cpu"} when asked on stdin ("cpu <ms>").
 *
 * Usage: node bench/media-peer.ts <create|ticket> [--video] [--audio] [--chat]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { RoomTicket } from "../shared/ticket.ts";
import { silentLog } from "../main/log.ts";
import { loadOrCreateIdentity } from "../main/net/identity.ts";
import { createRoomsNode } from "../main/net/node.ts";
import { createRoomMedia } from "../main/moq/room-media.ts";
import { Room } from "../main/room/room.ts";
import { LocalBroadcast } from "../main/media/local-broadcast.ts";
import { countTrack, type TrackCounters } from "../main/media/track-stats.ts";
import { wallClockMicros } from "../main/media/time.ts";
import { TRACKS } from "../shared/media/catalog.ts";

const [target, ...flags] = process.argv.slice(2);
const out = (o: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(o) + "\n");
const privateKey = await loadOrCreateIdentity(mkdtempSync(join(tmpdir(), "bench-peer-")));
const node = await createRoomsNode({ privateKey, listen: ["/ip4/127.0.0.1/tcp/0"] });
const media = await createRoomMedia(node, silentLog);
const ticket = target === "create" || target === undefined ? RoomTicket.generate() : RoomTicket.parse(target);
const room = await Room.join({ node, privateKey, log: silentLog, media }, { ticket });

const b = new LocalBroadcast();
const chat = b.enableChat();
const timers: ReturnType<typeof setInterval>[] = [];
const random = (n: number): Uint8Array => {
  const u = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(u.subarray(i, Math.min(n, i + 65536)));
  return u;
};
if (flags.includes("--video")) {
  // ~2 Mbit/s at 30 fps: a 30 KB keyframe every second, ~7.3 KB otherwise.
  const w = b.addVideo("video/synthetic-720p", { codec: "avc3.64001f", container: { kind: "legacy" }, codedWidth: 1280, codedHeight: 720, framerate: 30, bitrate: 2_000_000 });
  const key = random(30_000);
  const delta = random(7_300);
  let i = 0;
  timers.push(setInterval(() => { w.writeFrame(wallClockMicros(), i % 30 === 0 ? key : delta, i % 30 === 0); i++; }, 1000 / 30));
}
if (flags.includes("--audio")) {
  const w = b.addAudio("audio/synthetic", { codec: "opus", container: { kind: "legacy" }, sampleRate: 48_000, numberOfChannels: 1, bitrate: 64_000 });
  const frame = random(160);
  // Audio-like: every frame its own group, as hang's legacy producer does for keyless audio.
  timers.push(setInterval(() => w.writeFrame(wallClockMicros(), frame, true), 20));
}
await room.handle.publish("camera", b);
await room.handle.setChatPublisher(chat);
out({ type: "ready", peerId: room.handle.me, ticket: room.ticket().toString() });

const counters = new Map<string, TrackCounters>();
timers.push(setInterval(() => {
  for (const [track, c] of counters) {
    if (c.delaysMs.length > 0) out({ type: "delays", track, frames: c.frames, samples: c.delaysMs.splice(0) });
  }
}, 1000));

createInterface({ input: process.stdin }).on("line", (line) => {
  const [cmd, arg] = line.trim().split(" ");
  if (cmd === "cpu") {
    const start = process.cpuUsage();
    const t0 = performance.now();
    setTimeout(() => {
      const d = process.cpuUsage(start);
      out({ type: "cpu", percentCore: ((d.user + d.system) / 1000 / (performance.now() - t0)) * 100 });
    }, Number(arg ?? 5000));
  } else if (cmd === "chat") {
    void room.handle.sendChat(`bench ${wallClockMicros()}`);
  } else if (cmd === "quit") {
    for (const t of timers) clearInterval(t);
    void room.handle.leave().finally(() => process.exit(0));
  }
});

for await (const ev of room) {
  if (ev.type === "PeerJoined") out({ type: "joined", remote: ev.remote });
  if (ev.type === "ChatReceived") out({ type: "chat", remote: ev.remote, delayMs: ev.receivedAt - Number(ev.text.split(" ")[1]) / 1000 });
  if (ev.type !== "BroadcastSubscribed") continue;
  out({ type: "subscribed", remote: ev.remote });
  const tracks = [
    ...Object.keys(ev.catalog.video?.renditions ?? {}).map((t) => [t, TRACKS.videoPriority] as const),
    ...Object.keys(ev.catalog.audio?.renditions ?? {}).map((t) => [t, TRACKS.audioPriority] as const),
  ];
  for (const [track, prio] of tracks) {
    const key = `${ev.remote}/${track}`;
    const c: TrackCounters = { frames: 0, bytes: 0, delaysMs: [], outOfOrder: 0 };
    counters.set(key, c);
    void countTrack(ev.broadcast.consumer, track, prio, c).catch(() => undefined);
  }
}
