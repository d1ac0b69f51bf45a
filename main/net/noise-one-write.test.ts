import { Socket } from "node:net";
import { noise } from "@libp2p/noise";
import { tcp } from "@libp2p/tcp";
import { yamux } from "@libp2p/yamux";
import { createLibp2p, type Libp2p } from "libp2p";
import { afterEach, describe, expect, it, vi } from "vitest";
import { noiseOneWrite, uint16BEDecode } from "./noise-one-write.ts";

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

  it("decodes a length from bytes or a buffer list, and reports a short one with the same RangeError each time", async () => {
    const { Uint8ArrayList } = await import("uint8arraylist");
    expect(uint16BEDecode(Uint8Array.of(0x12, 0x34, 0xff))).toBe(0x1234);
    expect(uint16BEDecode(new Uint8ArrayList(Uint8Array.of(0xab), Uint8Array.of(0xcd)))).toBe(0xabcd);
    const short = (): unknown => {
      try {
        uint16BEDecode(new Uint8ArrayList(Uint8Array.of(1)));
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const first = short();
    expect(first).toBeInstanceOf(RangeError);
    expect(short()).toBe(first);
  });

  it("talks to a peer running plain noise, both ways", async () => {
    const [joined, plain] = [await node("joined"), await node("plain")];
    nodes.push(joined, plain);
    expect((await echo(joined, plain, 5)).join("")).toBe("message 0;message 1;message 2;message 3;message 4;");
    expect((await echo(plain, joined, 5)).join("")).toBe("message 0;message 1;message 2;message 3;message 4;");
  });
});
