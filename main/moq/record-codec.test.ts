import { encode } from "uint8-varint";
import { describe, expect, it } from "vitest";
import { ProtocolViolation } from "../../shared/codec/errors.ts";
import { RecordDecoder, recordHeaderLength, writeRecordHeader } from "./record-codec.ts";

function frame(...records: Uint8Array[]): Uint8Array {
  const total = records.reduce((n, r) => n + recordHeaderLength(r.byteLength) + r.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const r of records) {
    off += writeRecordHeader(r.byteLength, out, off);
    out.set(r, off);
    off += r.byteLength;
  }
  return out;
}

const bytes = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

function violation(fn: () => unknown): ProtocolViolation {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolViolation);
    return err as ProtocolViolation;
  }
  throw new Error("expected a ProtocolViolation");
}

describe("RecordDecoder", () => {
  const records = [bytes(1, 1), bytes(127, 2), bytes(128, 3), bytes(16_382, 4), bytes(70_000, 5)];
  const wire = frame(...records);

  it("decodes records delivered in one chunk", () => {
    const d = new RecordDecoder();
    expect(d.push(wire)).toEqual(records);
    expect(d.buffered).toBe(0);
    d.finish();
  });

  it("decodes the same records however the bytes are split", () => {
    for (const step of [1, 2, 3, 7, 1000, 65_536]) {
      const d = new RecordDecoder();
      const out: Uint8Array[] = [];
      for (let i = 0; i < wire.byteLength; i += step) out.push(...d.push(wire.subarray(i, i + step)));
      expect(out).toEqual(records);
    }
  });

  it("accepts a record of exactly the cap and rejects one byte more as soon as the prefix is read", () => {
    expect(new RecordDecoder(1000).push(frame(bytes(1000, 9)))).toHaveLength(1);
    const err = violation(() => new RecordDecoder(1000).push(encode(1001)));
    expect(err.code).toBe("too-large");
  });

  it("rejects a length prefix longer than any allowed length (a run of continuation bytes)", () => {
    expect(violation(() => new RecordDecoder().push(new Uint8Array([0xff, 0xff, 0xff]))).code).toBe("too-large");
    // Two continuation bytes may still become a valid length: wait.
    expect(new RecordDecoder().push(new Uint8Array([0xff, 0xff]))).toEqual([]);
  });

  it("rejects non-minimal varints and empty records", () => {
    expect(violation(() => new RecordDecoder().push(new Uint8Array([0x81, 0x00, 1]))).code).toBe("bad-varint");
    expect(violation(() => new RecordDecoder().push(new Uint8Array([0x00]))).code).toBe("empty-record");
  });

  it("reports a record cut off by the end of the stream", () => {
    const d = new RecordDecoder();
    d.push(wire.subarray(0, 10));
    expect(violation(() => d.finish()).code).toBe("truncated");
  });

  it("returns views into the input when a record sits in one chunk (no copy)", () => {
    const input = frame(bytes(100, 1));
    const [r] = new RecordDecoder().push(input);
    expect(r!.buffer).toBe(input.buffer);
  });
});
