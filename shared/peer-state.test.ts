import { describe, expect, it } from "vitest";
import { ProtocolViolation } from "./codec/errors.ts";
import { PostcardWriter } from "./codec/postcard.ts";
import {
  MAX_BROADCASTS,
  MAX_BROADCAST_NAME_BYTES,
  MAX_DISPLAY_NAME_BYTES,
  PEER_STATE_KEY,
  decodePeerState,
  encodePeerState,
  type PeerState,
} from "./peer-state.ts";

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, "").match(/../g) ?? [], (h) => parseInt(h, 16));

function violation(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolViolation);
    return (err as ProtocolViolation).code;
  }
  throw new Error("expected a ProtocolViolation");
}

describe("PeerState golden vectors (iroh-live study §1.10)", () => {
  const vectors: Array<[PeerState, string]> = [
    [{ broadcasts: ["cam"] }, "01 03 63616d 00"],
    [{ broadcasts: ["camera", "screen"], displayName: "Alice" }, "02 06 63616d657261 06 73637265656e 01 05 416c696365"],
  ];

  it.each(vectors)("%o ⇄ %s", (state, bytes) => {
    expect(hex(encodePeerState(state))).toBe(hex(unhex(bytes)));
    expect(decodePeerState(unhex(bytes))).toEqual(state);
  });

  it("uses the key iroh-live uses", () => {
    expect(new TextEncoder().encode(PEER_STATE_KEY)).toEqual(new Uint8Array([0x73]));
  });
});

describe("PeerState round trips (iroh-live peer_state_serialization_roundtrip)", () => {
  const states: PeerState[] = [{ broadcasts: ["cam", "screen"], displayName: "Alice" }, { broadcasts: ["cam"] }, { broadcasts: [] }];

  it.each(states)("round-trips %o", (state) => {
    expect(decodePeerState(encodePeerState(state))).toEqual(state);
  });

  it("writes None instead of skipping it", () => {
    expect(hex(encodePeerState({ broadcasts: [] }))).toBe("0000");
    expect(hex(encodePeerState({ broadcasts: [], displayName: undefined }))).toBe("0000");
    // Without the None byte the decoder must refuse, not guess.
    expect(violation(() => decodePeerState(unhex("00")))).toBe("truncated");
  });

  it("encodes with-name and without-name differently", () => {
    const withName = encodePeerState({ broadcasts: ["cam"], displayName: "Alice" });
    const without = encodePeerState({ broadcasts: ["cam"] });
    expect(hex(withName)).not.toBe(hex(without));
  });

  it("keeps an empty display name distinct from none", () => {
    expect(hex(encodePeerState({ broadcasts: [], displayName: "" }))).toBe("000100");
    expect(decodePeerState(unhex("000100"))).toEqual({ broadcasts: [], displayName: "" });
  });
});

describe("PeerState limits", () => {
  const name64 = "é".repeat(MAX_DISPLAY_NAME_BYTES / 2); // 2 bytes each in UTF-8
  const full: PeerState = {
    broadcasts: Array.from({ length: MAX_BROADCASTS }, (_, i) => `${i}`.padEnd(MAX_BROADCAST_NAME_BYTES, "x")),
    displayName: name64,
  };

  it("accepts a state exactly at every limit", () => {
    expect(decodePeerState(encodePeerState(full))).toEqual(full);
  });

  it("refuses to encode beyond the limits", () => {
    expect(() => encodePeerState({ broadcasts: [...full.broadcasts, "x"] })).toThrow(RangeError);
    expect(() => encodePeerState({ broadcasts: ["x".repeat(MAX_BROADCAST_NAME_BYTES + 1)] })).toThrow(RangeError);
    expect(() => encodePeerState({ broadcasts: [], displayName: `${name64}a` })).toThrow(RangeError);
  });

  it("rejects oversized input from the wire", () => {
    const tooMany = new PostcardWriter()
      .vec(Array.from({ length: MAX_BROADCASTS + 1 }, () => "c"), (w, s) => w.string(s))
      .u8(0)
      .finish();
    expect(violation(() => decodePeerState(tooMany))).toBe("too-large");
    const longName = new PostcardWriter().vec(["x".repeat(MAX_BROADCAST_NAME_BYTES + 1)], (w, s) => w.string(s)).u8(0).finish();
    expect(violation(() => decodePeerState(longName))).toBe("too-large");
    const longDisplay = new PostcardWriter().varint(0).option(`${name64}a`, (w, s) => w.string(s)).finish();
    expect(violation(() => decodePeerState(longDisplay))).toBe("too-large");
  });
});

describe("PeerState malformed input", () => {
  const bytes = encodePeerState({ broadcasts: ["camera", "screen"], displayName: "Alice" });

  it("reports truncation at every byte offset", () => {
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(violation(() => decodePeerState(bytes.subarray(0, cut))), `cut at ${cut}`).toBe("truncated");
    }
  });

  it("rejects trailing bytes", () => {
    expect(violation(() => decodePeerState(new Uint8Array([...bytes, 0])))).toBe("trailing-bytes");
    expect(violation(() => decodePeerState(unhex("01 03 63616d 00 00")))).toBe("trailing-bytes");
  });

  it("rejects invalid UTF-8 and bad option tags", () => {
    expect(violation(() => decodePeerState(unhex("01 01 ff 00")))).toBe("bad-utf8");
    expect(violation(() => decodePeerState(unhex("00 01 02 c328")))).toBe("bad-utf8");
    expect(violation(() => decodePeerState(unhex("00 02")))).toBe("bad-option");
  });
});
