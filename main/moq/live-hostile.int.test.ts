/**
 * A hostile peer speaking MOQ_PROTOCOL by hand (a raw dialProtocol stream): garbage and an oversized
 * length prefix close only that stream/session, with a logged reason; the node, an existing session and
 * new sessions keep working.
 */
import type { Stream } from "@libp2p/interface";
import * as Moq from "@moq/net";
import { encode } from "uint8-varint";
import { afterEach, describe, expect, it } from "vitest";
import type { RoomsNode } from "../net/node.ts";
import { createLive, type Live, type SessionClosedEvent } from "./live.ts";
import { MOQ_PROTOCOL } from "./transport.ts";
import { captureLog, connect, indexedPayload, loopbackNode, payloadIndex, until, videoBroadcast } from "./test-support.ts";
import { firstFrame } from "./track-read.ts";

const nodes: RoomsNode[] = [];
const lives: Live[] = [];
afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.close()));
  await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
});

async function live(node: RoomsNode, log = captureLog()): Promise<Live> {
  const l = await createLive(node, { log });
  lives.push(l);
  return l;
}

/** Resolves once the stream has closed (any way), with its final status. */
function closedStatus(stream: Stream): Promise<string> {
  if (stream.status !== "open" && stream.status !== "closing") return Promise.resolve(stream.status);
  return new Promise((resolve) => stream.addEventListener("close", () => resolve(stream.status), { once: true }));
}

describe("Live against garbage on its protocol", () => {
  it("closes only the offending session; the node and other sessions keep working", async () => {
    const aNode = await loopbackNode(nodes);
    const log = captureLog();
    const a = await live(aNode, log);
    const closed: SessionClosedEvent[] = [];
    a.onSessionClosed((ev) => closed.push(ev));
    const { broadcast, video } = videoBroadcast();
    a.publish("camera", broadcast);
    let i = 0;
    const tick = setInterval(() => video.writeFrame({ payload: indexedPayload(i, 32), timestamp: Moq.Time.Timestamp.fromMicros(i++ * 20_000) }), 20);

    // An honest peer with a running subscription before the attack.
    const bNode = await loopbackNode(nodes);
    const b = await live(bNode);
    await connect(bNode, aNode);
    const before = await b.subscribe(a.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    const sub = (await firstFrame(before.consumer, "video")).subscriber;
    const bSession = a.sessions().find((s) => s.remote === b.peerId)!;

    // Mallory: a plain node, no Live, writing raw bytes on the MoQ protocol.
    const mNode = await loopbackNode(nodes);
    await connect(mNode, aNode);
    const attacks: Uint8Array[] = [
      // A complete record full of random bytes (first byte fixed so it is not QMux PADDING).
      (() => {
        const junk = crypto.getRandomValues(new Uint8Array(48));
        junk[0] = 0x1f;
        return Uint8Array.from([junk.byteLength, ...junk]);
      })(),
      // Random bytes, length prefix and all (a continuation run long enough to be invalid up front).
      Uint8Array.from([0xff, 0xff, 0xff, ...crypto.getRandomValues(new Uint8Array(64))]),
      // A well-formed length prefix announcing 1.5 MiB, above the 1 MiB cap (refused before any body).
      encode(1_572_864),
    ];
    for (const bytes of attacks) {
      const stream = await mNode.dialProtocol(aNode.peerId, MOQ_PROTOCOL, { signal: AbortSignal.timeout(10_000) });
      stream.send(bytes);
      expect(["reset", "closed", "aborted"]).toContain(await closedStatus(stream));
      await until(() => !a.sessions().some((s) => s.remote === mNode.peerId.toString()), "mallory's session is gone");
    }
    const failures = log.lines.filter((l) => l.level === "warn" && l.msg === "moq session failed" && l.fields?.remote === mNode.peerId.toString());
    expect(failures.length).toBe(attacks.length);
    expect(failures.map((f) => String(f.fields?.error))).toEqual([
      expect.stringMatching(/QMux|violation/i),
      expect.stringMatching(/length prefix exceeds/),
      expect.stringMatching(/record of 1572864 bytes exceeds the 1048576-byte cap/),
    ]);
    expect(closed.filter((e) => e.remote === mNode.peerId.toString())).toHaveLength(attacks.length);

    // The honest session is the same one and still delivers.
    expect(a.sessions().find((s) => s.remote === b.peerId)?.id).toBe(bSession.id);
    const g = await sub.recvGroup();
    expect(payloadIndex((await g!.readFrame())!.payload)).toBeGreaterThan(0);
    // The node still answers other protocols.
    expect(await mNode.services.ping.ping(aNode.peerId)).toBeGreaterThanOrEqual(0);

    // A new peer subscribes properly afterwards.
    const cNode = await loopbackNode(nodes);
    const c = await live(cNode);
    await connect(cNode, aNode);
    const fresh = await c.subscribe(a.peerId, "camera", { signal: AbortSignal.timeout(10_000) });
    const first = await firstFrame(fresh.consumer, "video", { signal: AbortSignal.timeout(10_000) });
    expect(first.frame.payload.byteLength).toBe(32);
    clearInterval(tick);
  });
});
