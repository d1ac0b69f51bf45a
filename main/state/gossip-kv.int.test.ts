/**
 * Room state over real libp2p nodes on loopback, with a hostile peer (mallory) that speaks the wire
 * protocols by hand: forged, replayed, stale and malformed entries are refused and counted, and the
 * honest peers' state is untouched.
 */
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { afterEach, describe, expect, it } from "vitest";
import { encodeWireEntry, type WireEntry } from "../../shared/codec/signed-value.ts";
import { silentLog } from "../log.ts";
import { createRoomsNode, type RoomsNode } from "../net/node.ts";
import { msToNs, systemNowNs } from "./clock.ts";
import { GossipKv } from "./gossip-kv.ts";
import { StateStore, STORE_DEFAULTS } from "./store.ts";
import { KV_SYNC_PROTOCOL } from "./sync-protocol.ts";
import { until } from "../../test/until.ts";

const topic = crypto.getRandomValues(new Uint8Array(32));
const nodes: RoomsNode[] = [];
const kvs: GossipKv[] = [];
afterEach(async () => {
  await Promise.all(kvs.splice(0).map((k) => k.stop()));
  await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
});

async function peer(): Promise<{ node: RoomsNode; key: Ed25519PrivateKey; kv: GossipKv; seen: WireEntry[] }> {
  const key = await generateKeyPair("Ed25519");
  const node = await createRoomsNode({ privateKey: key, listen: ["/ip4/127.0.0.1/tcp/0"] });
  nodes.push(node);
  const seen: WireEntry[] = [];
  const kv = await GossipKv.start({ node, topic, privateKey: key, log: silentLog, onEntry: (e) => seen.push(e), onExpired: () => undefined });
  kvs.push(kv);
  return { node, key, kv, seen };
}


const value = new Uint8Array([1, 3, 0x63, 0x61, 0x6d, 0]);

describe("GossipKv over real nodes", () => {
  it("a newcomer gets the full state by sync; gossip carries later writes", async () => {
    const a = await peer();
    await a.kv.put("s", value);
    const b = await peer();
    await b.node.dial(a.node.getMultiaddrs()[0]!);
    await until(() => b.seen.length === 1, "b learns a's earlier write through sync");
    await a.kv.put("s", new Uint8Array([0, 0]));
    await until(() => b.seen.length === 2, "b gets a's later write through gossip");
    expect(new Uint8Array(b.seen[1]!.signed.value)).toEqual(new Uint8Array([0, 0]));
  });

  it("refuses forged, replayed, stale, future, oversized, wrong-writer and malformed gossip; honest state survives", async () => {
    const a = await peer();
    const b = await peer();
    await b.node.dial(a.node.getMultiaddrs()[0]!);
    await a.kv.put("s", value);
    await until(() => b.seen.length === 1, "honest write");
    const genuine = b.seen[0]!;

    // Mallory: a plain node in the topic, publishing hand-made messages.
    const m = await peer();
    await m.node.dial(b.node.getMultiaddrs()[0]!);
    await until(() => b.node.services.pubsub.getSubscribers(m.kv.topicString).some((p) => p.equals(m.node.peerId)), "mallory subscribed");
    await until(() => m.node.services.pubsub.getSubscribers(m.kv.topicString).some((p) => p.equals(b.node.peerId)), "b visible to mallory");
    const sign = (ts: bigint, v: Uint8Array, max: number = STORE_DEFAULTS.maxValueBytes): Promise<WireEntry> =>
      new StateStore({ topic, now: () => ts, ...STORE_DEFAULTS, maxValueBytes: max }).putLocal(m.key, new TextEncoder().encode("s"), v);
    const now = systemNowNs();
    const send = (bytes: Uint8Array) => m.node.services.pubsub.publish(m.kv.topicString, bytes);

    await send(encodeWireEntry({ ...genuine, signed: { ...genuine.signed, value: new Uint8Array([9]) } })); // a's entry, altered, re-gossiped by m
    const forged = await sign(now, value);
    await send(encodeWireEntry({ ...forged, signed: { ...forged.signed, value: new Uint8Array([0, 0, 0]) } })); // m's own, altered
    await send(encodeWireEntry(await sign(now - msToNs(STORE_DEFAULTS.horizonMs + 5_000), value))); // stale
    await send(encodeWireEntry(await sign(now + msToNs(60_000), value))); // future
    await send(encodeWireEntry(await sign(now, new Uint8Array(STORE_DEFAULTS.maxValueBytes + 1), 1 << 20))); // oversized
    await send(new Uint8Array([0xff, 0x01, 0x02])); // garbage

    const r = () => b.kv.rejections();
    await until(() => r()["wrong-writer"] >= 1 && r()["bad-signature"] >= 1 && r().expired >= 1 && r().future >= 1 && r().oversized >= 1 && r().malformed >= 1, "every refusal counted");
    // An honest write by m still goes through, and a's entry is exactly what a wrote.
    await send(encodeWireEntry(await sign(systemNowNs(), value)));
    await until(() => b.seen.some((e) => Buffer.from(e.scope).equals(m.key.publicKey.raw)), "m's honest entry accepted");
    expect(new Uint8Array(b.kv.store.get(a.key.publicKey.raw, new TextEncoder().encode("s"))!.signed.value)).toEqual(value);
  });

  it("garbage on the state-sync protocol closes that stream and nothing else", async () => {
    const a = await peer();
    const raw = await peer();
    const stream = await raw.node.dialProtocol(a.node.getMultiaddrs()[0]!, KV_SYNC_PROTOCOL);
    stream.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])); // absurd length prefix
    await new Promise<void>((resolve) => stream.addEventListener("close", () => resolve(), { once: true }));
    // The node still serves honest peers.
    await a.kv.put("s", value);
    const b = await peer();
    await b.node.dial(a.node.getMultiaddrs()[0]!);
    await until(() => b.seen.length === 1, "honest sync after garbage");
  });
});
