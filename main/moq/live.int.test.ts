/** Live over real libp2p nodes on loopback: delivery, the simultaneous-dial tie-break, endings, idle close, a mesh. */
import type { Libp2p } from "@libp2p/interface";
import * as Moq from "@moq/net";
import { afterEach, describe, expect, it } from "vitest";
import type { RoomsNode } from "../net/node.ts";
import { CloseCode } from "./errors.ts";
import { createLive, type Live, type LiveInit, type SessionClosedEvent } from "./live.ts";
import { MOQ_PROTOCOL } from "./transport.ts";
import { captureLog, connect, indexedPayload, loopbackNode, payloadIndex, until, videoBroadcast, whenUsed } from "./test-support.ts";
import { firstFrame } from "./track-read.ts";

const nodes: RoomsNode[] = [];
const lives: Live[] = [];
afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.close()));
  await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
});

async function peer(init: LiveInit = {}): Promise<{ node: RoomsNode; live: Live; closed: SessionClosedEvent[] }> {
  const node = await loopbackNode(nodes);
  const live = await createLive(node, init);
  lives.push(live);
  const closed: SessionClosedEvent[] = [];
  live.onSessionClosed((ev) => closed.push(ev));
  return { node, live, closed };
}

// Open MoQ streams on the connection between two nodes (the ground truth behind Live.sessions()).
const moqStreams = (a: Libp2p, b: Libp2p): number =>
  a.getConnections(b.peerId).flatMap((c) => c.streams).filter((s) => s.protocol === MOQ_PROTOCOL && s.status === "open").length;

/** Publish a broadcast whose video track writes one small frame per group every 20 ms once used. */
function ticking(live: Live, name: string): () => void {
  const { broadcast, video } = videoBroadcast();
  live.publish(name, broadcast);
  let i = 0;
  const t = setInterval(() => video.writeFrame({ payload: indexedPayload(i, 16), timestamp: Moq.Time.Timestamp.fromMicros(i++ * 20_000) }), 20);
  return () => {
    clearInterval(t);
    broadcast.close();
  };
}

describe("Live (real nodes on loopback)", () => {
  it("(a) B receives A's 100 frames of 10 KB in order, with timestamps, a new group every 30 frames", async () => {
    const a = await peer();
    const b = await peer();
    await connect(b.node, a.node);
    const { broadcast, video } = videoBroadcast();
    a.live.publish("camera", broadcast);

    const remote = await b.live.subscribe(a.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    expect(remote.remote).toBe(a.live.peerId);
    const sub = remote.consumer.track("video").subscribe({ ordered: true });
    await whenUsed(video);

    let group: Moq.Group.Producer | undefined;
    for (let i = 0; i < 100; i++) {
      if (i % 30 === 0) {
        group?.close();
        group = video.appendGroup();
      }
      group!.writeFrame({ payload: indexedPayload(i, 10_000), timestamp: Moq.Time.Timestamp.fromMicros(1_000_000 + i * 33_333) });
    }
    group!.close();

    const got: { index: number; us: number; group: number; size: number }[] = [];
    while (got.length < 100) {
      const g = await sub.recvGroup();
      if (g === undefined) break;
      for (let f = await g.readFrame(); f !== undefined; f = await g.readFrame()) {
        got.push({ index: payloadIndex(f.payload), us: f.timestamp.asMicros(), group: g.sequence, size: f.payload.byteLength });
      }
    }
    expect(got.map((f) => f.index)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(got.every((f, i) => f.us === 1_000_000 + i * 33_333 && f.size === 10_000)).toBe(true);
    const groups = got.map((f) => f.group);
    expect(new Set(groups).size).toBe(4);
    expect(groups.every((g, i) => g === groups[0]! + Math.floor(i / 30))).toBe(true);
    // Only now end the track: ending it while frames are in flight drops them at the subscriber.
    video.close();
    expect(await sub.recvGroup()).toBeUndefined();
  });

  it("firstFrame waits for a track's first frame and leaves the subscription positioned there", async () => {
    const a = await peer();
    const b = await peer();
    await connect(b.node, a.node);
    const stop = ticking(a.live, "camera");
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    const first = await firstFrame(remote.consumer, "video", { signal: AbortSignal.timeout(10_000) });
    const next = await first.subscriber.recvGroup();
    expect(payloadIndex((await next!.readFrame())!.payload)).toBeGreaterThan(payloadIndex(first.frame.payload));
    stop();
  });

  it("(b) both sides subscribing at the same moment end up with exactly one session each way", async () => {
    let races = 0;
    for (let round = 0; round < 3; round++) {
      const logA = captureLog();
      const logB = captureLog();
      const a = await peer({ log: logA });
      const b = await peer({ log: logB });
      await connect(a.node, b.node);
      const stops = [ticking(a.live, "camera"), ticking(b.live, "camera")];
      const [ofB, ofA] = await Promise.all([
        a.live.subscribe(b.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) }),
        b.live.subscribe(a.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) }),
      ]);
      await Promise.all([firstFrame(ofB.consumer, "video"), firstFrame(ofA.consumer, "video")]);

      const sa = a.live.sessions();
      const sb = b.live.sessions();
      expect(sa).toHaveLength(1);
      expect(sb).toHaveLength(1);
      // The same session seen from both ends: opened by the smaller peer id.
      const aIsSmaller = a.live.peerId < b.live.peerId;
      expect(sa[0]!.direction).toBe(aIsSmaller ? "outbound" : "inbound");
      expect(sb[0]!.direction).toBe(aIsSmaller ? "inbound" : "outbound");
      // Any losing stream is torn down: one MoQ stream on the connection, seen from both nodes.
      await until(() => moqStreams(a.node, b.node) === 1 && moqStreams(b.node, a.node) === 1, "one MoQ stream per side");
      expect(a.closed.concat(b.closed)).toEqual([]);
      races += [...logA.lines, ...logB.lines].filter((l) => l.msg.startsWith("moq simultaneous dial")).length;
      stops.forEach((s) => s());
    }
    // Both dials are in flight before any I/O happens, so every round has to resolve a crossing.
    expect(races).toBeGreaterThanOrEqual(3);
  });

  it("(c) unpublish: B's ended resolves as unannounced and its track ends; the producer is untouched", async () => {
    const a = await peer();
    const b = await peer();
    await connect(b.node, a.node);
    const { broadcast, video } = videoBroadcast();
    a.live.publish("camera", broadcast);
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    const sub = remote.consumer.track("video").subscribe();
    await whenUsed(video);
    a.live.unpublish("camera");
    expect(await remote.ended).toEqual({ kind: "unannounced" });
    expect(await sub.recvGroup()).toBeUndefined();
    expect(broadcast.closed.peek()).toBeUndefined();
    // Publishing again is seen again.
    a.live.publish("camera", broadcast);
    const again = await b.live.subscribe(a.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    expect(again.name).toBe("camera");
  });

  it("unpublish then publish of the same name in one tick: the peer sees the old one end and the new one start", async () => {
    const a = await peer();
    const b = await peer();
    await connect(b.node, a.node);
    const first = videoBroadcast();
    a.live.publish("camera", first.broadcast);
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    const second = videoBroadcast();
    a.live.unpublish("camera");
    a.live.publish("camera", second.broadcast);
    expect(await remote.ended).toEqual({ kind: "unannounced" });
    const again = await b.live.subscribe(a.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    const sub = again.consumer.track("video").subscribe();
    await whenUsed(second.video);
    second.video.writeFrame({ payload: indexedPayload(7, 8), timestamp: Moq.Time.Timestamp.fromMicros(0) });
    const g = await sub.recvGroup();
    expect(payloadIndex((await g!.readFrame())!.payload)).toBe(7);
  });

  it("(d) A's node stops: B's ended reports the session closing, the session is gone, sessionClosed fires", async () => {
    const a = await peer();
    const b = await peer();
    await connect(b.node, a.node);
    const stop = ticking(a.live, "camera");
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    expect(b.live.sessions()).toHaveLength(1);
    await a.node.stop();
    const ended = await remote.ended;
    expect(ended.kind).toBe("session-closed");
    expect(b.live.sessions()).toEqual([]);
    expect(b.closed.map((e) => e.remote)).toEqual([a.live.peerId]);
    stop();
  });

  it("a subscribe waits for a broadcast published later, even past the idle delay, and honours abort", async () => {
    const a = await peer({ idleMs: 100 });
    const b = await peer({ idleMs: 100 });
    await connect(b.node, a.node);
    const pending = b.live.subscribe(a.live.peerId, "later", { signal: AbortSignal.timeout(10_000) });
    await until(() => a.live.sessions().length === 1, "a has b's session");
    // Longer than the idle delay: b's interest keeps a (which uses nothing itself) from closing it.
    await new Promise((r) => setTimeout(r, 500));
    expect(a.live.sessions()).toHaveLength(1);
    const stop = ticking(a.live, "later");
    expect((await pending).name).toBe("later");
    stop();

    const ctl = new AbortController();
    const aborted = b.live.subscribe(a.live.peerId, "never", { signal: ctl.signal });
    ctl.abort(new Error("changed my mind"));
    await expect(aborted).rejects.toThrow("changed my mind");
  });

  it("sessions close once nothing uses them (idle), on both sides", async () => {
    const a = await peer({ idleMs: 150 });
    const b = await peer({ idleMs: 150 });
    await connect(b.node, a.node);
    const stop = ticking(a.live, "camera");
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    const sub = remote.consumer.track("video").subscribe();
    await sub.recvGroup();
    sub.close();
    remote.close();
    expect(await remote.ended).toEqual({ kind: "closed" });
    await until(() => a.live.sessions().length === 0 && b.live.sessions().length === 0, "idle sessions closed");
    // Whichever side idled out first, the other got its close code: a graceful close, not a dropped stream.
    expect([...a.closed, ...b.closed].map((e) => [e.end.code, e.end.error])).toEqual([
      [CloseCode.Idle, undefined],
      [CloseCode.Idle, undefined],
    ]);
    // A fresh subscribe opens a new session.
    const again = await b.live.subscribe(a.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    await firstFrame(again.consumer, "video");
    stop();
  });

  it("(f) three nodes in a full mesh each receive the other two's broadcasts", async () => {
    const ps = [await peer(), await peer(), await peer()];
    await connect(ps[0]!.node, ps[1]!.node);
    await connect(ps[1]!.node, ps[2]!.node);
    await connect(ps[2]!.node, ps[0]!.node);
    const stops = ps.map((p) => ticking(p.live, "camera"));
    const got = await Promise.all(
      ps.flatMap((p) =>
        ps
          .filter((q) => q !== p)
          .map(async (q) => {
            const remote = await p.live.subscribe(q.live.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
            const first = await firstFrame(remote.consumer, "video", { signal: AbortSignal.timeout(10_000) });
            return `${p.live.peerId}<-${remote.remote}:${first.frame.payload.byteLength}`;
          }),
      ),
    );
    expect(got).toHaveLength(6);
    for (const p of ps) expect(p.live.sessions()).toHaveLength(2);
    stops.forEach((s) => s());
  });

  it("routes @moq/net's console chatter to our log", async () => {
    const log = captureLog();
    const a = await peer({ log });
    const b = await peer();
    await connect(b.node, a.node);
    const stop = ticking(a.live, "camera");
    const remote = await b.live.subscribe(a.live.peerId, "camera");
    await firstFrame(remote.consumer, "video");
    await until(() => log.lines.some((l) => l.msg.startsWith("moq: ") && l.level === "debug"), "library debug lines in our log");
    stop();
  });
});
