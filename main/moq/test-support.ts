/** Test-only helpers shared by main/moq's integration tests: real libp2p nodes on loopback. */
import { generateKeyPair } from "@libp2p/crypto/keys";
import * as Moq from "@moq/net";
import type { Log } from "../log.ts";
import { createRoomsNode, type RoomsNode } from "../net/node.ts";

/** A started node listening on 127.0.0.1, registered in `nodes` for teardown. */
export async function loopbackNode(nodes: RoomsNode[]): Promise<RoomsNode> {
  const node = await createRoomsNode({ privateKey: await generateKeyPair("Ed25519"), listen: ["/ip4/127.0.0.1/tcp/0"] });
  nodes.push(node);
  return node;
}

/** Dial `b` from `a` and wait until both ends have registered the connection. */
export async function connect(a: RoomsNode, b: RoomsNode): Promise<void> {
  await a.dial(b.getMultiaddrs()[0]!);
  await until(() => b.getConnections(a.peerId).length > 0, "listener registers the connection");
}

/** Poll `cond` until it holds (a hang guard, not a timing assumption). */
export async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolve when a local track has a subscriber (frames written before that are not delivered). */
export async function whenUsed(track: Moq.Track.Producer): Promise<void> {
  while (!track.used.peek()) await track.used.changed();
}

/** A Log that keeps every record, for asserting on what was logged. */
export function captureLog(): Log & { lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn") };
}

/** A broadcast with one `video` track whose frames carry their index (u32) in the first bytes. */
export function videoBroadcast(): { broadcast: Moq.Broadcast.Producer; video: Moq.Track.Producer } {
  const broadcast = new Moq.Broadcast.Producer();
  const video = broadcast.createTrack("video", { timescale: Moq.Time.Timescale.MICRO });
  return { broadcast, video };
}

/** A payload of `size` bytes starting with `index` as a big-endian u32. */
export function indexedPayload(index: number, size: number): Uint8Array {
  const p = new Uint8Array(size);
  new DataView(p.buffer).setUint32(0, index);
  return p;
}

/** The index written by {@link indexedPayload}. */
export function payloadIndex(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
}
