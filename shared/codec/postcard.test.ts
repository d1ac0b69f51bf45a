import { describe, expect, it } from "vitest";
import { ProtocolViolation } from "./errors.ts";
import { PostcardReader, PostcardWriter, U64_MAX, decodeExact } from "./postcard.ts";

// Hand-rolled so the test stays free of Node's Buffer, like the code under test.
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

/** Run `fn` and return the ProtocolViolation code it throws. */
function violation(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolViolation);
    expect((err as ProtocolViolation).name).toBe("ProtocolViolation");
    return (err as ProtocolViolation).code;
  }
  throw new Error("expected a ProtocolViolation");
}

const varintBytes = (n: number | bigint): Uint8Array => new PostcardWriter().varint(n).finish();

describe("varint", () => {
  const boundaries: Array<[number, string]> = [
    [0, "00"],
    [1, "01"],
    [127, "7f"],
    [128, "8001"],
    [300, "ac02"],
    [16383, "ff7f"],
    [16384, "808001"],
    [2 ** 32, "8080808010"],
    [Number.MAX_SAFE_INTEGER, "ffffffffffffff0f"],
  ];

  it.each(boundaries)("encodes %d as %s and reads it back", (n, expected) => {
    const bytes = varintBytes(n);
    expect(hex(bytes)).toBe(expected);
    expect(decodeExact(bytes, (r) => r.varint())).toBe(n);
    expect(decodeExact(bytes, (r) => r.varintBig())).toBe(BigInt(n));
    expect(hex(varintBytes(BigInt(n)))).toBe(expected);
  });

  it("round-trips 2^64-1 as a bigint in 10 bytes", () => {
    const bytes = varintBytes(U64_MAX);
    expect(hex(bytes)).toBe("ffffffffffffffffff01");
    expect(decodeExact(bytes, (r) => r.varintBig())).toBe(U64_MAX);
  });

  it("round-trips 2^53 and a nanosecond timestamp as bigint", () => {
    for (const v of [2n ** 53n, 1_764_000_000_123_456_789n, 2n ** 63n]) {
      expect(decodeExact(varintBytes(v), (r) => r.varintBig())).toBe(v);
    }
  });

  it("encodes an exact number above 2^53 like the same bigint", () => {
    expect(hex(varintBytes(2 ** 60))).toBe(hex(varintBytes(2n ** 60n)));
  });

  it("rejects values the format cannot carry when writing", () => {
    const w = new PostcardWriter();
    expect(() => w.varint(-1)).toThrow(RangeError);
    expect(() => w.varint(1.5)).toThrow(RangeError);
    expect(() => w.varint(Number.NaN)).toThrow(RangeError);
    expect(() => w.varint(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => w.varint(-1n)).toThrow(RangeError);
    expect(() => w.varint(U64_MAX + 1n)).toThrow(RangeError);
    expect(() => w.varint(2 ** 64)).toThrow(RangeError);
    expect(w.finish().length).toBe(0);
  });

  it("varint() refuses values above 2^53-1 that varintBig() accepts", () => {
    const bytes = varintBytes(2n ** 53n);
    expect(violation(() => decodeExact(bytes, (r) => r.varint()))).toBe("too-large");
    expect(decodeExact(bytes, (r) => r.varintBig())).toBe(2n ** 53n);
  });

  it("rejects overlong (non-canonical) encodings", () => {
    for (const s of ["8000", "ff00", "808000", "ac8200", "ffffffffffffff8f00"]) {
      expect(violation(() => decodeExact(unhex(s), (r) => r.varintBig()))).toBe("bad-varint");
      expect(violation(() => decodeExact(unhex(s), (r) => r.varint()))).toBe("bad-varint");
    }
  });

  it("rejects u64 overflow and encodings longer than 10 bytes", () => {
    expect(violation(() => decodeExact(unhex("ffffffffffffffffff02"), (r) => r.varintBig()))).toBe("bad-varint");
    expect(violation(() => decodeExact(unhex("ffffffffffffffffff7f"), (r) => r.varintBig()))).toBe("bad-varint");
    expect(violation(() => decodeExact(unhex("ffffffffffffffffff8101"), (r) => r.varintBig()))).toBe("bad-varint");
    expect(violation(() => decodeExact(unhex("8080808080808080808001"), (r) => r.varintBig()))).toBe("bad-varint");
  });

  it("reports a varint cut off by the end of input as truncated", () => {
    for (const s of ["", "80", "ff", "ffffffffffffffffff"]) {
      expect(violation(() => decodeExact(unhex(s), (r) => r.varintBig()))).toBe("truncated");
    }
  });
});

describe("writer", () => {
  it("writes every primitive in postcard layout", () => {
    const w = new PostcardWriter()
      .u8(7)
      .bytes(unhex("aabb"))
      .fixed(unhex("ccdd"))
      .string("hé")
      .option(undefined, (w2, v: number) => w2.u8(v))
      .option(5, (w2, v) => w2.u8(v))
      .vec(["a", "bc"], (w2, s) => w2.string(s));
    expect(hex(w.finish())).toBe("07" + "02aabb" + "ccdd" + "0368c3a9" + "00" + "0105" + "02" + "0161" + "026263");
  });

  it("grows past its initial buffer", () => {
    const big = new Uint8Array(1000).map((_, i) => i & 0xff);
    const out = new PostcardWriter().u8(1).bytes(big).finish();
    expect(out.length).toBe(1 + 2 + 1000);
    expect(decodeExact(out, (r) => [r.u8(), r.bytes(1000)])).toEqual([1, big]);
  });

  it("rejects a u8 out of range", () => {
    expect(() => new PostcardWriter().u8(256)).toThrow(RangeError);
    expect(() => new PostcardWriter().u8(-1)).toThrow(RangeError);
  });
});

/** A struct touching every reader method: { id: u64, tag: [u8;2], name: String, note: Option<String>, blobs: Vec<Bytes> }. */
interface Sample {
  id: bigint;
  tag: Uint8Array;
  name: string;
  note: string | undefined;
  blobs: Uint8Array[];
}
const sample: Sample = { id: 2n ** 40n + 5n, tag: unhex("beef"), name: "café", note: "hi", blobs: [unhex("01"), unhex("0203")] };

function encodeSample(s: Sample): Uint8Array {
  return new PostcardWriter()
    .varint(s.id)
    .fixed(s.tag)
    .string(s.name)
    .option(s.note, (w, v) => w.string(v))
    .vec(s.blobs, (w, b) => w.bytes(b))
    .finish();
}

function decodeSample(bytes: Uint8Array): Sample {
  return decodeExact(bytes, (r) => ({
    id: r.varintBig(),
    tag: r.fixed(2),
    name: r.string(16),
    note: r.option((r2) => r2.string(16)),
    blobs: r.vec(4, (r2) => r2.bytes(8)),
  }));
}

describe("reader", () => {
  it("round-trips a struct", () => {
    const bytes = encodeSample(sample);
    expect(decodeSample(bytes)).toEqual(sample);
    expect(decodeSample(encodeSample({ ...sample, note: undefined, blobs: [] }))).toEqual({ ...sample, note: undefined, blobs: [] });
  });

  it("reports truncation at every byte offset of an encoded struct", () => {
    const bytes = encodeSample(sample);
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(violation(() => decodeSample(bytes.subarray(0, cut))), `cut at ${cut}`).toBe("truncated");
    }
  });

  it("rejects trailing bytes", () => {
    const bytes = encodeSample(sample);
    const longer = new Uint8Array([...bytes, 0]);
    expect(violation(() => decodeSample(longer))).toBe("trailing-bytes");
    expect(violation(() => decodeExact(unhex("0000"), (r) => r.u8()))).toBe("trailing-bytes");
  });

  it("checks lengths against the cap before the remaining input", () => {
    // Length 9 with a cap of 8 and only 1 byte left: over the cap wins, and nothing is allocated.
    expect(violation(() => decodeExact(unhex("0900"), (r) => r.bytes(8)))).toBe("too-large");
    expect(violation(() => decodeExact(unhex("0900"), (r) => r.string(8)))).toBe("too-large");
    expect(violation(() => decodeExact(unhex("05010101"), (r) => r.vec(4, (r2) => r2.u8())))).toBe("too-large");
    // Within the cap but beyond the input.
    expect(violation(() => decodeExact(unhex("0500"), (r) => r.bytes(8)))).toBe("truncated");
    expect(violation(() => decodeExact(unhex("030101"), (r) => r.vec(4, (r2) => r2.u8())))).toBe("truncated");
  });

  it("rejects a huge claimed length without allocating it", () => {
    const bytes = varintBytes(Number.MAX_SAFE_INTEGER);
    expect(violation(() => decodeExact(bytes, (r) => r.bytes(Number.MAX_SAFE_INTEGER)))).toBe("truncated");
    expect(violation(() => decodeExact(bytes, (r) => r.vec(Number.MAX_SAFE_INTEGER, (r2) => r2.u8())))).toBe("truncated");
    expect(violation(() => decodeExact(varintBytes(U64_MAX), (r) => r.bytes(8)))).toBe("too-large");
  });

  it("accepts lengths exactly at the cap", () => {
    expect(decodeExact(unhex("03616263"), (r) => r.string(3))).toBe("abc");
    expect(decodeExact(unhex("03010203"), (r) => r.bytes(3))).toEqual(unhex("010203"));
  });

  it("rejects invalid UTF-8", () => {
    for (const s of ["01ff", "02c328", "03e28228", "01c3", "03eda080"]) {
      expect(violation(() => decodeExact(unhex(s), (r) => r.string(8))), s).toBe("bad-utf8");
    }
  });

  it("keeps a leading byte-order mark as content, as Rust does", () => {
    expect(decodeExact(unhex("04efbbbf41"), (r) => r.string(8))).toBe("\ufeffA");
  });

  it("rejects option tags other than 0 and 1", () => {
    expect(violation(() => decodeExact(unhex("02"), (r) => r.option((r2) => r2.u8())))).toBe("bad-option");
  });

  it("tracks remaining and copies what it returns", () => {
    const input = unhex("02aabbcc");
    const r = new PostcardReader(input);
    expect(r.remaining).toBe(4);
    const b = r.bytes(4);
    expect(r.remaining).toBe(1);
    input[1] = 0;
    expect(b).toEqual(unhex("aabb"));
    expect(() => r.end()).toThrow(ProtocolViolation);
    r.u8();
    expect(() => r.end()).not.toThrow();
  });
});
