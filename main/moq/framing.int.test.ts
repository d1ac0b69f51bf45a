/** Record framing and corked writes over real libp2p streams (TCP + noise + yamux on loopback). */
import type { Stream } from "@libp2p/interface";
import { afterEach, describe, expect, it } from "vitest";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import type { RoomsNode } from "../net/node.ts";
import { CorkWriter } from "./cork-writer.ts";
import { framedStream, type FramedStream } from "./framing.ts";
import { connect, loopbackNode, until } from "./test-support.ts";

const PROTO = "/liverooms/test/framing/1";
const nodes: RoomsNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map(async (n) => n.stop()));
});

/** A dialer stream and the listener's view of it. */
async function pair(opts: { maxRecordBytes?: number } = {}): Promise<{ out: Stream; inbound: Promise<FramedStream>; inStream: Promise<Stream> }> {
  const a = await loopbackNode(nodes);
  const b = await loopbackNode(nodes);
  const inStream = Promise.withResolvers<Stream>();
  const inbound = Promise.withResolvers<FramedStream>();
  await b.handle(PROTO, (stream) => {
    inStream.resolve(stream);
    inbound.resolve(framedStream(stream, opts));
  });
  await connect(a, b);
  const out = await a.dialProtocol(b.peerId, PROTO);
  return { out, inbound: inbound.promise, inStream: inStream.promise };
}

async function readAll(readable: ReadableStream<Uint8Array>, n: number): Promise<Uint8Array[]> {
  const reader = readable.getReader();
  const got: Uint8Array[] = [];
  while (got.length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    got.push(value);
  }
  reader.releaseLock();
  return got.map((r) => new Uint8Array(r)); // libp2p hands out Buffers; compare as plain bytes
}

describe("framedStream over libp2p", () => {
  it("carries records of every size in order, both ways", async () => {
    const { out, inbound } = await pair();
    const local = framedStream(out);
    const sizes = [1, 9, 127, 128, 16_382, 100_000, 3, 1_000_000];
    const records = sizes.map((n, i) => new Uint8Array(n).fill(i + 1));
    const w = local.writable.getWriter();
    for (const r of records) void w.write(r);
    const remote = await inbound;
    expect(await readAll(remote.readable, records.length)).toEqual(records);
    const rw = remote.writable.getWriter();
    await rw.write(new Uint8Array([7, 7]));
    expect(await readAll(local.readable, 1)).toEqual([new Uint8Array([7, 7])]);
  });

  it("copies each record at write time, so a reused scratch buffer cannot corrupt queued records", async () => {
    const { out, inbound } = await pair();
    const w = new CorkWriter(out);
    const scratch = new Uint8Array(4);
    for (let i = 0; i < 50; i++) {
      scratch.fill(i);
      void w.write(scratch); // @moq/net does exactly this with its varint scratch buffer
    }
    const got = await readAll((await inbound).readable, 50);
    expect(got.map((r) => r[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("corks: records written in one macrotask leave in one send()", async () => {
    const { out, inbound } = await pair();
    let sends = 0;
    const send = out.send.bind(out);
    out.send = (data) => {
      sends++;
      return send(data);
    };
    const w = new CorkWriter(out);
    for (let i = 0; i < 200; i++) void w.write(new Uint8Array(100).fill(i));
    expect(sends).toBe(0);
    expect(await readAll((await inbound).readable, 200)).toHaveLength(200);
    expect(sends).toBe(1);
  });

  it("flushes at 64 KiB without waiting for the macrotask", async () => {
    const { out } = await pair();
    let sends = 0;
    const send = out.send.bind(out);
    out.send = (data) => {
      sends++;
      return send(data);
    };
    const w = new CorkWriter(out);
    for (let i = 0; i < 6; i++) void w.write(new Uint8Array(10_000));
    expect(sends).toBe(0); // 60 KB: still corked
    void w.write(new Uint8Array(10_000));
    expect(sends).toBeGreaterThan(0);
    expect(w.pending).toBe(0);
  });

  it("stops accepting writes while the stream needs to drain and resumes when the peer reads", async () => {
    const { out, inbound, inStream } = await pair();
    const local = framedStream(out);
    const remote = await inbound;
    // The reader does not read: its queue fills, the libp2p stream pauses, yamux stops granting window.
    const w = local.writable.getWriter();
    const chunk = new Uint8Array(16_000);
    const total = 4000; // 64 MB: far beyond every buffer on the path
    let written = 0;
    const writing = (async () => {
      for (; written < total; written++) await w.write(chunk);
    })();
    const receiver = await inStream;
    await until(() => receiver.readStatus === "paused" && out.writableNeedsDrain, "reader paused and sender backed up");
    expect(written).toBeLessThan(total);
    // Our writer holds back instead of piling data into libp2p's unbounded write buffer.
    expect(out.writeBufferLength).toBeLessThan(1024 * 1024);
    const got = await readAll(remote.readable, total);
    await writing;
    expect(got).toHaveLength(total);
  });

  it("garbage (a length prefix too long to be valid) resets the stream with a ProtocolViolation", async () => {
    const { out, inbound } = await pair();
    out.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]));
    const remote = await inbound;
    const err = await remote.readable.getReader().read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProtocolViolation);
    expect((err as ProtocolViolation).code).toBe("too-large");
    expect(await remote.closed).toBeInstanceOf(ProtocolViolation);
    await until(() => out.status === "reset" || out.status === "closed", "dialer sees the reset");
  });

  it("an oversized length prefix is refused before the body arrives", async () => {
    const { out, inbound } = await pair({ maxRecordBytes: 1024 });
    out.send(new Uint8Array([0x81, 0x08])); // 1025
    const remote = await inbound;
    const err = await remote.readable.getReader().read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ProtocolViolation).code).toBe("too-large");
  });

  it("a record cut off by the end of the stream is an error, a clean end is not", async () => {
    const { out, inbound } = await pair();
    out.send(new Uint8Array([5, 1, 2, 3, 4, 5, 9, 1]));
    await out.close();
    const remote = await inbound;
    const reader = remote.readable.getReader();
    expect(new Uint8Array((await reader.read()).value!)).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    const err = await reader.read().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ProtocolViolation).code).toBe("truncated");
  });
});
