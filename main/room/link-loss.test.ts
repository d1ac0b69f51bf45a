import { describe, expect, it } from "vitest";
import { endedByLinkLoss } from "./actor.ts";

const err = (code: string): Error => Object.assign(new Error(code), { code });

describe("endedByLinkLoss", () => {
  it("a clean close or a reset of a direct connection is the peer going away (short grace)", () => {
    expect(endedByLinkLoss(true, {})).toBe(false);
    expect(endedByLinkLoss(true, { local: false })).toBe(false);
    // What a kill -9 looks like: the TCP connection aborts itself on read ECONNRESET.
    expect(endedByLinkLoss(true, { local: true, error: err("ECONNRESET") })).toBe(false);
    expect(endedByLinkLoss(true, { local: false, error: err("EPIPE") })).toBe(false);
  });

  it("a ping timeout, an unreachable network or any relayed close is link loss (long grace)", () => {
    expect(endedByLinkLoss(true, { local: true, error: new Error("The operation was aborted due to timeout") })).toBe(true);
    expect(endedByLinkLoss(true, { local: true, error: err("ENETUNREACH") })).toBe(true);
    expect(endedByLinkLoss(false, {})).toBe(true);
  });
});
