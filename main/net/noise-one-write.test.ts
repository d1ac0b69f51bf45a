import { Socket } from "node:net";
import { noise } from "@libp2p/noise";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { createLibp2p, type Libp2p } from "libp2p";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NoiseMessageDecoder, noiseOneWrite } from "./noise-one-write.ts";

const ECHO = "/live-rooms-test/echo/1";

async function node(encrypter: "joined" | "plain"): Promise<Libp2p> {
  const n = await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [encrypter === "joined" ? noiseOneWrite() : noise()],
    streamMuxers: [yamux()],
  });
  await n.handle(ECHO, (stream) => {
    stream.addEventListener("message", (e) => stream.send(e.data));
    stream.addEventListener("remoteCloseWrite", () => void stream.close());
  });
  return n;
}

/** Send `count` messages one by one over an echo stream from `a` to `b`; resolves with what came back. */
async function echo(a: Libp2p, b: Libp2p, count: number): Promise<string[]> {
  const stream = await a.dialProtocol(b.getMultiaddrs()[0]!, ECHO);
  const got: string[] = [];
  let bytes = 0;
  let want = 0;
  const done = new Promise<void>((resolve) =>
    stream.addEventListener("message", (e) => {
      got.push(new TextDecoder().decode(e.data.subarray()));
      bytes += e.data.byteLength;
      if (bytes === want) resolve();
    }),
  );
  for (let i = 0; i < count; i++) {
    const msg = new TextEncoder().encode(`message ${i};`);
    want += msg.byteLength;
    stream.send(msg);
    await new Promise((r) => setTimeout(r, 2)); // separate writes, like media frames
  }
  await done;
  await stream.close();
  return got;
}

describe("noise, one write per message", () => {
  const nodes: Libp2p[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
  });

  it("sends no message split into its 2-byte length and the ciphertext", async () => {
    const [a, b] = [await node("joined"), await node("joined")];
    nodes.push(a, b);
    await a.dial(b.getMultiaddrs()[0]!); // the handshake writes its own length prefixes: not counted
    // Watches (and calls through to) every TCP write of this process: both nodes are here.
    const spy = vi.spyOn(Socket.prototype, "write");
    let writes: number[];
    try {
      const got = await echo(a, b, 20);
      expect(got.join("")).toBe(Array.from({ length: 20 }, (_, i) => `message ${i};`).join(""));
    } finally {
      writes = spy.mock.calls.map(([chunk]) => (chunk instanceof Uint8Array ? chunk.byteLength : -1));
      spy.mockRestore();
    }
    // Every transport message is 2 + 16-byte tag + at least a 12-byte yamux header: a 2-byte write is a
    // length prefix on its own (what @libp2p/noise alone does, once per message).
    expect(writes.length).toBeGreaterThan(20);
    expect(writes.filter((n) => n === 2)).toEqual([]);
  });

  it("reads without building an exception per message (plain noise builds one per read)", async () => {
    // Counts RangeErrors built anywhere in this process while calls go through (a Proxy keeps `instanceof` working).
    const count = async (a: Libp2p, b: Libp2p): Promise<number> => {
      await a.dial(b.getMultiaddrs()[0]!);
      const original = globalThis.RangeError;
      let built = 0;
      globalThis.RangeError = new Proxy(original, {
        apply: (target, self, args: [string?]) => (built++, Reflect.apply(target, self, args)),
        construct: (target, args: [string?], newTarget: NewableFunction) => (built++, Reflect.construct(target, args, newTarget) as RangeError),
      });
      try {
        expect((await echo(a, b, 30)).length).toBeGreaterThan(0);
      } finally {
        globalThis.RangeError = original;
      }
      return built;
    };
    const [a, b] = [await node("joined"), await node("joined")];
    const [c, d] = [await node("plain"), await node("plain")];
    nodes.push(a, b, c, d);
    expect(await count(a, b)).toBeLessThan(5);
    expect(await count(c, d)).toBeGreaterThanOrEqual(30);
  });

  it("frames messages split anywhere, several to a chunk, from bytes or a buffer list", async () => {
    const { Uint8ArrayList } = await import("uint8arraylist");
    const frame = (m: number[]): number[] => [m.length >> 8, m.length & 255, ...m];
    const big = Array.from({ length: 300 }, (_, i) => i & 255);
    const messages = [[1, 2, 3], [], big, [9]];
    const wire = Uint8Array.from(messages.flatMap(frame));
    const want = messages.filter((m) => m.length > 0);
    // Every split point into two chunks, the second also as a buffer list.
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new NoiseMessageDecoder();
      const got = [...d.decode(wire.subarray(0, cut)), ...d.decode(new Uint8ArrayList(wire.subarray(cut, cut + 1), wire.subarray(cut + 1)))].map((m) => [...m]);
      expect(got, `cut at ${cut}`).toEqual(want);
    }
    // One byte at a time, and all at once.
    const d = new NoiseMessageDecoder();
    expect([...wire].flatMap((b) => [...d.decode(Uint8Array.of(b))].map((m) => [...m]))).toEqual(want);
    expect([...new NoiseMessageDecoder().decode(wire)].map((m) => [...m])).toEqual(want);
  });

  it("never writes into a message it has handed out", () => {
    const d = new NoiseMessageDecoder();
    const kept = [
      ...d.decode(Uint8Array.of(0, 2, 7, 7, 0, 3, 1)), // a whole message and the start of the next
      ...d.decode(Uint8Array.of(2, 3, 0, 1, 5, 0)), // its end, a whole one, a length's first byte
      ...d.decode(Uint8Array.of(1, 6)),
    ];
    expect(kept.map((m) => [...m])).toEqual([[7, 7], [1, 2, 3], [5], [6]]);
  });

  it("talks to a peer running plain noise, both ways", async () => {
    const [joined, plain] = [await node("joined"), await node("plain")];
    nodes.push(joined, plain);
    expect((await echo(joined, plain, 5)).join("")).toBe("message 0;message 1;message 2;message 3;message 4;");
    expect((await echo(plain, joined, 5)).join("")).toBe("message 0;message 1;message 2;message 3;message 4;");
  });
});
