import { describe, expect, it } from "vitest";
import { asPeerIdStr } from "../../shared/ids.ts";
import { Participants } from "./participants.ts";

const A = asPeerIdStr("12D3KooWA");

describe("Participants", () => {
  it("maps the room's events to the contract's, tracking names and broadcasts", () => {
    const p = new Participants();
    expect(p.apply({ type: "PeerJoined", remote: A, displayName: "Ada" })).toEqual([
      { event: "peerJoined", payload: { peerId: A, displayName: "Ada", broadcasts: [] } },
    ]);
    expect(p.apply({ type: "RemoteAnnounced", remote: A, broadcasts: [] })).toEqual([]);
    expect(p.apply({ type: "RemoteAnnounced", remote: A, broadcasts: ["cam"] })).toEqual([
      { event: "peerUpdated", payload: { peerId: A, displayName: "Ada", broadcasts: ["cam"] } },
    ]);
    expect(p.apply({ type: "PeerUpdated", remote: A, displayName: "Ada L", broadcasts: ["cam"] })[0]?.payload).toMatchObject({ displayName: "Ada L" });
    expect(p.nameOf(A)).toBe("Ada L");
    expect(p.list()).toEqual([{ peerId: A, displayName: "Ada L", broadcasts: ["cam"] }]);
    expect(p.apply({ type: "PeerLeft", remote: A, reason: "left" })).toEqual([{ event: "peerLeft", payload: { peerId: A, reason: "left" } }]);
    expect(p.list()).toEqual([]);
  });

  it("ignores updates and departures of peers it does not know", () => {
    const p = new Participants();
    expect(p.apply({ type: "PeerUpdated", remote: A, displayName: "X", broadcasts: [] })).toEqual([]);
    expect(p.apply({ type: "PeerLeft", remote: A, reason: "expired" })).toEqual([]);
  });

  it("hands out copies, so callers cannot change its state", () => {
    const p = new Participants();
    p.apply({ type: "PeerJoined", remote: A, displayName: "Ada" });
    p.list()[0]!.broadcasts.push("evil");
    expect(p.list()[0]!.broadcasts).toEqual([]);
  });
});
