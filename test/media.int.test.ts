/**
 * The media plane across real processes: MoQ broadcasts between `rooms` peers, chat with history,
 * screen toggling and departures.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CliPeer, type CliLine } from "./cli-peer.ts";

const peers: CliPeer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.dispose()));
});
const start = (args: string[]): CliPeer => {
  const p = CliPeer.start(args);
  peers.push(p);
  return p;
};
const is = (type: string, remote?: string, name?: string) => (l: CliLine): boolean =>
  l.type === type && (remote === undefined || l.remote === remote) && (name === undefined || l.name === name);

describe("media plane over real processes", () => {
  it("B receives A's test-clip frames in order with their timestamps", async () => {
    const a = start(["create", "--name", "A", "--publish", "test"]);
    const { ticket, peerId: aid } = await a.ready();
    const b = start(["join", ticket, "--name", "B", "--subscribe-stats"]);
    const sub = await b.waitFor(is("BroadcastSubscribed", aid, "camera"), { what: "camera subscribed" });
    expect((sub.catalog as { video: { renditions: Record<string, { codec: string }> } }).video.renditions["video/h264-360p"]!.codec).toMatch(/^avc3\./);
    const video = await b.waitFor((l) => l.type === "stats" && l.track === "video/h264-360p" && (l.frames as number) >= 45, { what: "45 video frames" });
    expect(video.outOfOrder).toBe(0);
    expect(video.delayMaxMs as number).toBeLessThan(1_000); // hang guard; the benchmark measures latency
    const audio = await b.waitFor((l) => l.type === "stats" && l.track === "audio/opus" && (l.frames as number) >= 50, { what: "50 audio frames" });
    expect(audio.outOfOrder).toBe(0);
  }, 60_000);

  it("chat flows both ways with multi-byte UTF-8; an over-long message is refused at the sender", async () => {
    const a = start(["create", "--name", "A", "--chat"]);
    const { ticket, peerId: aid } = await a.ready();
    const b = start(["join", ticket, "--name", "B", "--chat"]);
    const { peerId: bid } = await b.ready();
    await a.waitFor(is("BroadcastSubscribed", bid, "camera"));
    await b.waitFor(is("BroadcastSubscribed", aid, "camera"));
    a.command("grüße aus Zürich 👋");
    b.command("こんにちは — ok");
    const atB = await b.waitFor(is("ChatReceived", aid), { what: "chat at B" });
    const atA = await a.waitFor(is("ChatReceived", bid), { what: "chat at A" });
    expect(atB).toMatchObject({ text: "grüße aus Zürich 👋", history: false });
    expect(atA).toMatchObject({ text: "こんにちは — ok", history: false });
    a.command("x".repeat(5000));
    const err = await a.waitFor(is("error"), { what: "refusal" });
    expect(err).toMatchObject({ code: "too-long" });
  }, 60_000);

  it("a peer joining after ten messages gets them as history, in order, once each", async () => {
    const a = start(["create", "--name", "A", "--chat"]);
    const { ticket, peerId: aid } = await a.ready();
    for (let i = 0; i < 10; i++) a.command(`message ${i}`);
    await a.waitFor((l) => l.type === "ChatSent" && l.text === "message 9");
    const c = start(["join", ticket, "--name", "Late"]);
    await c.waitFor((l) => l.type === "ChatReceived" && l.text === "message 9", { what: "history" });
    a.command("after join");
    await c.waitFor((l) => l.type === "ChatReceived" && l.text === "after join");
    const got = c.lines.filter(is("ChatReceived", aid));
    expect(got.map((l) => l.text)).toEqual([...Array.from({ length: 10 }, (_, i) => `message ${i}`), "after join"]);
    expect(got.map((l) => l.history)).toEqual([...Array<boolean>(10).fill(true), false]);
  }, 60_000);

  it("four peers in a full mesh: each subscribes to the three others and gets chat from all", async () => {
    const first = start(["create", "--name", "P0", "--chat"]);
    const { ticket } = await first.ready();
    const rest = [1, 2, 3].map((i) => start(["join", ticket, "--name", `P${i}`, "--chat"]));
    const all = [first, ...rest];
    const ids = await Promise.all(all.map(async (p) => (await p.ready()).peerId));
    await Promise.all(all.flatMap((p, i) => ids.filter((_, j) => j !== i).map((id) => p.waitFor(is("BroadcastSubscribed", id, "camera"), { timeoutMs: 60_000 }))));
    all.forEach((p, i) => p.command(`hello from P${i}`));
    await Promise.all(all.flatMap((p, i) => ids.map((id, j) => (i === j ? undefined : p.waitFor((l) => l.type === "ChatReceived" && l.remote === id && l.text === `hello from P${j}`, { timeoutMs: 60_000 }))).filter((x) => x !== undefined)));
  }, 120_000);

  it("screen on, off, on: the other peer sees subscribed, ended, subscribed", async () => {
    const a = start(["create", "--name", "A", "--publish", "test"]);
    const { ticket, peerId: aid } = await a.ready();
    const b = start(["join", ticket, "--name", "B"]);
    await b.waitFor(is("BroadcastSubscribed", aid, "camera"));
    a.command("/screen on");
    await b.waitFor(is("BroadcastSubscribed", aid, "screen"), { what: "screen 1" });
    a.command("/screen off");
    await b.waitFor(is("BroadcastEnded", aid, "screen"), { what: "screen ended" });
    a.command("/screen on");
    const from = b.lines.length;
    await b.waitFor(is("BroadcastSubscribed", aid, "screen"), { from, what: "screen 2" });
    const screenEvents = b.lines.filter((l) => l.remote === aid && l.name === "screen").map((l) => l.type);
    expect(screenEvents).toEqual(["BroadcastSubscribed", "BroadcastEnded", "BroadcastSubscribed"]);
    expect(b.lines.filter(is("BroadcastEnded", aid, "camera"))).toHaveLength(0);
  }, 60_000);

  it.each([["kill -9", "SIGKILL", "connection-lost"], ["graceful leave", "SIGTERM", "left"]] as const)(
    "%s of a publishing peer: its broadcast ends and exactly one PeerLeft",
    async (_what, signal, reason) => {
      const a = start(["create", "--name", "A"]);
      const { ticket } = await a.ready();
      const b = start(["join", ticket, "--name", "B", "--publish", "test"]);
      const { peerId: bid } = await b.ready();
      await a.waitFor(is("BroadcastSubscribed", bid, "camera"));
      await b.kill(signal);
      const left = await a.waitFor(is("PeerLeft", bid), { what: "PeerLeft" });
      expect(left.reason).toBe(reason);
      await a.waitFor(() => false, { timeoutMs: 3_000 }).catch(() => undefined);
      expect(a.lines.filter(is("PeerLeft", bid))).toHaveLength(1);
      const ended = a.lines.findIndex(is("BroadcastEnded", bid, "camera"));
      expect(ended).toBeGreaterThanOrEqual(0);
      expect(ended).toBeLessThan(a.lines.findIndex(is("PeerLeft", bid)));
    },
    60_000,
  );
});

describe("late joiners", () => {
  it("a peer joining long after the last catalog change still subscribes and gets history", async () => {
    const a = start(["create", "--name", "A", "--chat"]);
    const { ticket, peerId: aid } = await a.ready();
    a.command("early message");
    await a.waitFor((l) => l.type === "ChatSent");
    const b = start(["join", ticket, "--name", "B", "--chat"]);
    await b.waitFor(is("BroadcastSubscribed", aid, "camera"));
    // moq evicts closed groups older than the track's latency window (5 s) when a subscriber arrives.
    await b.waitFor(() => false, { timeoutMs: 7_000 }).catch(() => undefined);
    const c = start(["join", ticket, "--name", "C"]);
    await c.waitFor(is("BroadcastSubscribed", aid, "camera"), { what: "late catalog" });
    const early = await c.waitFor((l) => l.type === "ChatReceived" && l.text === "early message", { what: "late history" });
    expect(early.history).toBe(true);
  }, 60_000);
});
