import { beforeEach, describe, expect, it } from "vitest";
import { createAppStore, type AppStore } from "../index.ts";
import { selectScreenRequest, selectTiles } from "./selectors.ts";

let store: AppStore;
const act = () => store.getState().actions;
const ME = "12D3KooWMe000000";
const ADA = "12D3KooWAda00001";
const BOB = "12D3KooWBob00002";

beforeEach(() => {
  store = createAppStore();
  act().identityLoaded({ peerId: ME, displayName: "Me", suggestedName: "Guest", dataDir: "/data" });
  act().roomEntered({ me: ME, displayName: "Me" });
});

describe("media slice", () => {
  it("one tile per broadcast, one placeholder tile for someone publishing nothing, us first", () => {
    act().peerJoined({ peerId: ADA, displayName: "Ada Lovelace", broadcasts: ["camera", "screen"] });
    act().peerJoined({ peerId: BOB, displayName: "Bob", broadcasts: [] });
    const tiles = selectTiles(store.getState());
    expect(tiles.map((t) => [t.name, t.broadcast, t.initials, t.self])).toEqual([
      ["Me", undefined, "M", true],
      ["Ada Lovelace", "camera", "AL", false],
      ["Ada Lovelace", "screen", "AL", false],
      ["Bob", undefined, "B", false],
    ]);
    expect(new Set(tiles.map((t) => t.key)).size).toBe(tiles.length);
    expect(selectTiles(store.getState())).toBe(tiles);
  });

  it("a tile is live while its broadcast is received; a departure ends it", () => {
    act().peerJoined({ peerId: ADA, displayName: "Ada", broadcasts: ["camera"] });
    expect(selectTiles(store.getState())[1]!.live).toBe(false);
    act().broadcastSubscribed({ peerId: ADA, name: "camera" });
    act().broadcastSubscribed({ peerId: ADA, name: "camera" });
    expect(store.getState().liveBroadcasts).toEqual([`${ADA}/camera`]);
    expect(selectTiles(store.getState())[1]!.live).toBe(true);
    act().broadcastEnded({ peerId: ADA, name: "camera" });
    expect(selectTiles(store.getState())[1]!.live).toBe(false);
    act().broadcastSubscribed({ peerId: ADA, name: "camera" });
    act().peerLeft({ peerId: ADA, reason: "left" });
    expect(store.getState().liveBroadcasts).toEqual([]);
  });

  it("our own broadcasts are tiles too: camera while in the call, screen while sharing", () => {
    const local = { camera: { on: true }, microphone: { on: false }, screen: { on: false, audio: false }, closed: false };
    act().localMediaChanged(local);
    expect(selectTiles(store.getState()).map((t) => [t.self, t.broadcast, t.live])).toEqual([[true, "camera", true]]);
    act().localMediaChanged({ ...local, screen: { on: true, audio: false } });
    expect(selectTiles(store.getState()).filter((t) => t.self).map((t) => t.broadcast)).toEqual(["camera", "screen"]);
    act().localMediaChanged({ ...local, closed: true });
    expect(selectTiles(store.getState()).filter((t) => t.self).map((t) => t.broadcast)).toEqual([undefined]);
  });

  it("the stats overlay toggles; device lists and the speaker choice are kept", () => {
    expect(store.getState().statsVisible).toBe(false);
    act().statsToggled();
    expect(store.getState().statsVisible).toBe(true);
    act().devicesListed({ cameras: [{ deviceId: "c1", label: "Cam" }], microphones: [], speakers: [{ deviceId: "s1", label: "Desk" }] });
    act().speakerChosen("s1");
    expect(store.getState()).toMatchObject({ speakerId: "s1", devices: { cameras: [{ deviceId: "c1" }] } });
  });

  it("a screen request opens the picker until that request is settled", () => {
    act().screenShareRequested({ requestId: "r1", sources: [{ id: "screen:0", name: "Screen", kind: "screen", thumbnail: "" }] });
    act().screenRequestSettled("other");
    expect(selectScreenRequest(store.getState())?.requestId).toBe("r1");
    act().screenRequestSettled("r1");
    expect(selectScreenRequest(store.getState())).toBeUndefined();
  });
});
