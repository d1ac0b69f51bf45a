/** Window updates at half a window, over real libp2p nodes (TCP + noise + yamux on loopback). */
import { Socket } from "node:net";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { createLibp2p, type Libp2p } from "libp2p";
import { afterEach, describe, expect, it, vi } from "vitest";
import { noiseOneWrite } from "./noise-one-write.ts";
import { yamuxHalfWindow } from "./yamux-half-window.ts";

const SINK = "/live-rooms-test/sink/1";

async function node(muxer: "half" | "plain"): Promise<{ node: Libp2p; received: () => number }> {
  let received = 0;
  const n = await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noiseOneWrite()],
    streamMuxers: [muxer === "half" ? yamuxHalfWindow() : yamux()],
  });
  await n.handle(SINK, (stream) => {
    stream.addEventListener("message", (e) => (received += e.data.byteLength));
    stream.addEventListener("remoteCloseWrite", () => void stream.close());
  });
  return { node: n, received: () => received };
}

/**
 * Send `chunks` of `size` bytes from `a` to `b`'s sink, `gapMs` apart; resolves with the number of TCP
 * writes `b` made meanwhile (it sends nothing but yamux control frames: window updates).
 */
async function sink(a: Libp2p, b: { node: Libp2p; received: () => number }, chunks: number, size: number, gapMs: number): Promise<number> {
  const addr = b.node.getMultiaddrs()[0]!;
  const bPort = Number(addr.toString().split("/")[4]);
  await a.dial(addr); // the handshake's writes are not counted
  const stream = await a.dialProtocol(addr, SINK);
  const before = b.received();
  const spy = vi.spyOn(Socket.prototype, "write");
  try {
    for (let i = 0; i < chunks; i++) {
      if (!stream.send(new Uint8Array(size).fill(i))) await new Promise((r) => stream.addEventListener("drain", r, { once: true }));
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
    await vi.waitFor(() => expect(b.received() - before).toBe(chunks * size), { timeout: 20_000, interval: 20 });
    return spy.mock.contexts.filter((s) => (s as Socket).localPort === bPort).length;
  } finally {
    spy.mockRestore();
    await stream.close();
  }
}

describe("yamux, window updates at half a window", () => {
  const nodes: Libp2p[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
  });

  it("answers a stream of small messages with no window update (plain yamux sends one per message)", async () => {
    const [a, half, plain] = [await node("half"), await node("half"), await node("plain")];
    nodes.push(a.node, half.node, plain.node);
    expect(await sink(a.node, half, 40, 1000, 3)).toBe(0);
    // The same traffic to a receiver on the library's own logic: the cost this removes.
    expect(await sink(a.node, plain, 40, 1000, 3)).toBeGreaterThanOrEqual(30);
  });

  it("still grants window: 8 MiB go through a 256 KiB window, with about one update per 128 KiB", async () => {
    const [a, b] = [await node("half"), await node("half")];
    nodes.push(a.node, b.node);
    const writes = await sink(a.node, b, 128, 64 * 1024, 0);
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(70); // 8 MiB / 128 KiB = 64 updates at most (fewer as the window grows)
  });

  it("talks to a peer on plain yamux both ways", async () => {
    // A pair each way: `sink` tells the receiver's writes by its listening port.
    const [half, plain, plain2, half2] = [await node("half"), await node("plain"), await node("plain"), await node("half")];
    nodes.push(half.node, plain.node, plain2.node, half2.node);
    expect(await sink(half.node, plain, 64, 64 * 1024, 0)).toBeGreaterThan(0);
    expect(await sink(plain2.node, half2, 64, 64 * 1024, 0)).toBeGreaterThan(0);
  });
});
