import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { beforeEach, describe, expect, it } from "vitest";
import { decodeWireEntry, encodeWireEntry, type WireEntry } from "../../shared/codec/signed-value.ts";
import { msToNs, type Nanos } from "./clock.ts";
import { StateStore, STORE_DEFAULTS } from "./store.ts";

const topic = new Uint8Array(32).fill(7);
const key = new TextEncoder().encode("s");
const value = new Uint8Array([1, 3, 0x63, 0x61, 0x6d, 0]);

let now: Nanos;
let alice: Ed25519PrivateKey;
let mallory: Ed25519PrivateKey;
const storeAt = (): StateStore => new StateStore({ topic, now: () => now, ...STORE_DEFAULTS });

/** Alice's store signs a genuine entry; `at` shifts its clock. */
async function aliceWrites(v: Uint8Array = value, atMs = 0, t: Uint8Array = topic): Promise<WireEntry> {
  const saved = now;
  now = saved + msToNs(atMs);
  const e = await new StateStore({ topic: t, now: () => now, ...STORE_DEFAULTS, maxValueBytes: 1 << 20 }).putLocal(alice, key, v);
  now = saved;
  return e;
}

beforeEach(async () => {
  now = 1_750_000_000_000n * 1_000_000n;
  alice = await generateKeyPair("Ed25519");
  mallory = await generateKeyPair("Ed25519");
});

describe("StateStore", () => {
  it("accepts a genuine entry and keeps it", async () => {
    const s = storeAt();
    const e = await aliceWrites();
    const r = await s.acceptRemote(e, alice.publicKey.raw);
    expect(r.accepted).toBe(true);
    expect(s.get(alice.publicKey.raw, key)?.signed.value).toEqual(value);
  });

  it("survives the wire: encode/decode keeps the signature valid", async () => {
    const e = decodeWireEntry(encodeWireEntry(await aliceWrites()));
    expect((await storeAt().acceptRemote(e)).accepted).toBe(true);
  });

  it("rejects a forged entry (value changed after signing)", async () => {
    const s = storeAt();
    const e = await aliceWrites();
    const forged = { ...e, signed: { ...e.signed, value: new Uint8Array([0, 0]) } };
    expect(await s.acceptRemote(forged)).toEqual({ accepted: false, reason: "bad-signature" });
    expect(s.rejected["bad-signature"]).toBe(1);
    expect(s.entries()).toHaveLength(0);
  });

  it("rejects an entry claiming alice's scope but signed by mallory", async () => {
    const s = storeAt();
    const real = await aliceWrites();
    const m = await new StateStore({ topic, now: () => now, ...STORE_DEFAULTS }).putLocal(mallory, key, value);
    expect(await s.acceptRemote({ ...m, scope: real.scope })).toEqual({ accepted: false, reason: "bad-signature" });
  });

  it("rejects an entry signed for another room (cross-room replay)", async () => {
    const other = new Uint8Array(32).fill(9);
    const e = await aliceWrites(value, 0, other);
    expect(await storeAt().acceptRemote(e)).toEqual({ accepted: false, reason: "bad-signature" });
  });

  it("rejects gossip of alice's entry published by someone else", async () => {
    const s = storeAt();
    expect(await s.acceptRemote(await aliceWrites(), mallory.publicKey.raw)).toEqual({ accepted: false, reason: "wrong-writer" });
    expect(s.rejected["wrong-writer"]).toBe(1);
  });

  it("rejects a replayed entry and an older one (last writer wins on strictly newer)", async () => {
    const s = storeAt();
    const older = await aliceWrites(value, -1_000);
    const newer = await aliceWrites(new Uint8Array([0, 0]), 0);
    expect((await s.acceptRemote(newer)).accepted).toBe(true);
    expect(await s.acceptRemote(newer)).toEqual({ accepted: false, reason: "replayed" });
    expect(await s.acceptRemote(older)).toEqual({ accepted: false, reason: "replayed" });
    expect(s.get(alice.publicKey.raw, key)?.signed.value).toEqual(new Uint8Array([0, 0]));
    expect(s.rejected.replayed).toBe(2);
  });

  it("rejects a stale entry older than the horizon", async () => {
    const s = storeAt();
    const stale = await aliceWrites(value, -(STORE_DEFAULTS.horizonMs + 1_000));
    expect(await s.acceptRemote(stale)).toEqual({ accepted: false, reason: "expired" });
    expect(s.rejected.expired).toBe(1);
  });

  it("rejects an entry dated in the future beyond the allowed skew, accepts one within it", async () => {
    const s = storeAt();
    expect(await s.acceptRemote(await aliceWrites(value, STORE_DEFAULTS.maxSkewMs + 5_000))).toEqual({ accepted: false, reason: "future" });
    expect((await s.acceptRemote(await aliceWrites(value, STORE_DEFAULTS.maxSkewMs - 5_000))).accepted).toBe(true);
  });

  it("rejects an oversized value", async () => {
    const s = storeAt();
    const big = await aliceWrites(new Uint8Array(STORE_DEFAULTS.maxValueBytes + 1));
    expect(await s.acceptRemote(big)).toEqual({ accepted: false, reason: "oversized" });
    expect(s.rejected.oversized).toBe(1);
  });

  it("expires entries that fall behind the horizon", async () => {
    const s = storeAt();
    await s.acceptRemote(await aliceWrites());
    now += msToNs(STORE_DEFAULTS.horizonMs + 1);
    expect(s.expire()).toHaveLength(1);
    expect(s.entries()).toHaveLength(0);
  });

  it("gives local writes strictly increasing timestamps even when the clock stands still", async () => {
    const s = storeAt();
    const a = await s.putLocal(alice, key, value);
    const b = await s.putLocal(alice, key, value);
    expect(b.signed.timestamp).toBeGreaterThan(a.signed.timestamp);
  });
});
