/**
 * State sync: a newly connected room peer pulls the full current room state from a neighbour.
 *
 * Gossipsub deduplicates identical bytes and has no history, so it cannot give a newcomer what was written
 * before it arrived; this request/response protocol does. Framing (every record = unsigned-varint length ‖ bytes):
 *   requester → responder: one record holding the 32-byte room topic, then half-close
 *   responder → requester: one record per stored entry (the gossip message layout of shared/codec/signed-value.ts),
 *                          then a zero-length record, then close
 * A responder that is not in that room answers with the terminator alone.
 */
import type { PeerId } from "@libp2p/interface";
import { lpStream } from "@libp2p/utils";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import { MAX_WIRE_VALUE_BYTES } from "../../shared/codec/signed-value.ts";
import type { RoomsNode } from "../net/node.ts";

/** libp2p protocol id of state sync. */
export const KV_SYNC_PROTOCOL = "/liverooms/kv-sync/1";
/** Most entries one snapshot may carry (2 keys per peer, far above any room we support). */
export const MAX_SYNC_ENTRIES = 1024;
/** Largest record: one encoded entry. */
export const MAX_SYNC_RECORD = MAX_WIRE_VALUE_BYTES + 256;
const TIMEOUT_MS = 10_000;

/** Supplies the encoded entries of one room. */
export type SnapshotProvider = () => Uint8Array[];

const registries = new WeakMap<RoomsNode, Map<string, SnapshotProvider>>();

/** Serve snapshots of a room from this node; returns the function that stops serving it. */
export async function serveKvSync(node: RoomsNode, topic: Uint8Array, provider: SnapshotProvider): Promise<() => void> {
  let rooms = registries.get(node);
  if (rooms === undefined) {
    const created = new Map<string, SnapshotProvider>();
    rooms = created;
    registries.set(node, created);
    await node.handle(KV_SYNC_PROTOCOL, async (stream) => {
      const lp = lpStream(stream, { maxDataLength: MAX_SYNC_RECORD });
      const signal = AbortSignal.timeout(TIMEOUT_MS);
      try {
        const req = await lp.read({ signal });
        if (req.byteLength !== 32) throw new ProtocolViolation("bad-request", "sync request must be a 32-byte topic");
        const entries = created.get(Buffer.from(req.subarray()).toString("hex"))?.() ?? [];
        await lp.writeV([...entries.slice(0, MAX_SYNC_ENTRIES), new Uint8Array(0)], { signal });
        await stream.close({ signal });
      } catch (err) {
        stream.abort(err as Error);
      }
    }, { maxInboundStreams: 64, runOnLimitedConnection: true });
  }
  const key = Buffer.from(topic).toString("hex");
  rooms.set(key, provider);
  return () => {
    rooms.delete(key);
  };
}

/** Fetch the encoded entries a peer holds for a room. */
export async function fetchKvSnapshot(node: RoomsNode, peer: PeerId, topic: Uint8Array, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array[]> {
  const signal = opts.signal ?? AbortSignal.timeout(TIMEOUT_MS);
  const stream = await node.dialProtocol(peer, KV_SYNC_PROTOCOL, { signal, runOnLimitedConnection: true });
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_SYNC_RECORD });
    await lp.write(topic, { signal });
    const out: Uint8Array[] = [];
    for (;;) {
      const rec = await lp.read({ signal });
      if (rec.byteLength === 0) break;
      if (out.length >= MAX_SYNC_ENTRIES) throw new ProtocolViolation("too-many-entries", "sync response exceeds the entry cap");
      out.push(rec.subarray());
    }
    await stream.close({ signal });
    return out;
  } catch (err) {
    stream.abort(err as Error);
    throw err;
  }
}
