import { describe, expect, it } from "vitest";
import { asPeerIdStr } from "../../shared/ids.ts";
import { evaluatePresence, newPeerRecord } from "./peers.ts";

const id = asPeerIdStr("12D3KooWpeer");

describe("evaluatePresence", () => {
  it("joins once with the name, then reports only real changes", () => {
    const rec = newPeerRecord(id);
    rec.state = { broadcasts: ["camera"], displayName: "Ann" };
    expect(evaluatePresence(rec, undefined).map((e) => e.type)).toEqual(["PeerJoined", "RemoteAnnounced"]);
    const same = rec.state;
    rec.state = { broadcasts: ["camera"], displayName: "Ann" };
    expect(evaluatePresence(rec, same)).toEqual([]); // a refresh is not news
    const before = rec.state;
    rec.state = { broadcasts: ["camera", "screen"], displayName: "Anna" };
    expect(evaluatePresence(rec, before)).toEqual([
      { type: "PeerUpdated", remote: id, displayName: "Anna", broadcasts: ["camera", "screen"] },
      { type: "RemoteAnnounced", remote: id, broadcasts: ["camera", "screen"] },
    ]);
  });

  it("gives exactly one PeerLeft whatever follows, with the reason", () => {
    const rec = newPeerRecord(id);
    rec.state = { broadcasts: [] };
    evaluatePresence(rec, undefined);
    rec.lost = true;
    expect(evaluatePresence(rec, rec.state)).toEqual([{ type: "PeerLeft", remote: id, reason: "connection-lost" }]);
    rec.state = undefined;
    rec.stateGone = "left";
    expect(evaluatePresence(rec, undefined)).toEqual([]);
  });

  it("a tombstone leaves with reason left; a newer entry brings the peer back", () => {
    const rec = newPeerRecord(id);
    rec.state = { broadcasts: [] };
    evaluatePresence(rec, undefined);
    rec.state = undefined;
    rec.stateGone = "left";
    expect(evaluatePresence(rec, { broadcasts: [] })).toEqual([{ type: "PeerLeft", remote: id, reason: "left" }]);
    rec.state = { broadcasts: [], displayName: "Back" };
    rec.stateGone = undefined;
    expect(evaluatePresence(rec, undefined)[0]).toEqual({ type: "PeerJoined", remote: id, displayName: "Back" });
  });
});
