import { beforeEach, describe, expect, it } from "vitest";
import { createAppStore, type AppStore } from "../index.ts";
import { CONNECTION_LABELS, linkText, selectConnection, selectHeadcount, selectInRoom, selectLatestNotice, selectMyName, selectParticipantViews } from "./selectors.ts";

let store: AppStore;
const act = () => store.getState().actions;
const ada = { peerId: "12D3KooWAda00001", displayName: "Ada", broadcasts: [] };
const bob = { peerId: "12D3KooWBob00002", displayName: "Bob", broadcasts: ["camera"] };

beforeEach(() => {
  store = createAppStore();
  act().identityLoaded({ peerId: "12D3KooWMe000000", displayName: "Me", suggestedName: "Guest", dataDir: "/data" });
});

describe("room slice", () => {
  it("starts in the lobby and enters a room", () => {
    expect(selectInRoom(store.getState())).toBe(false);
    act().enterStarted();
    expect(store.getState().entering).toBe(true);
    act().connectionChanged("connecting");
    act().roomEntered({ me: "12D3KooWMe000000", displayName: "Me Myself" });
    act().connectionChanged("joined");
    const s = store.getState();
    expect(s.entering).toBe(false);
    expect(selectInRoom(s)).toBe(true);
    expect(selectConnection(s)).toBe("joined");
    expect(CONNECTION_LABELS[selectConnection(s)]).toBe("In the room");
    expect(selectMyName(s)).toBe("Me Myself");
  });

  it("a failed entry records the error and stays in the lobby", () => {
    act().enterStarted();
    act().enterFailed("Not a valid ticket");
    expect(store.getState()).toMatchObject({ entering: false, error: "Not a valid ticket", connection: "idle" });
    act().errorDismissed();
    expect(store.getState().error).toBeUndefined();
  });

  it("peerJoined adds once, with one notice; peerUpdated renames; peerLeft removes with a notice", () => {
    act().peerJoined(ada, 1);
    act().peerJoined(ada, 2); // a replay of the same participant
    act().peerJoined(bob, 3);
    expect(store.getState().participants.map((p) => p.displayName)).toEqual(["Ada", "Bob"]);
    expect(store.getState().notices.map((n) => [n.kind, n.name])).toEqual([["joined", "Ada"], ["joined", "Bob"]]);

    act().peerUpdated({ ...ada, displayName: "Ada L" });
    act().peerUpdated({ peerId: "12D3KooWNobody00", displayName: "Ghost", broadcasts: [] });
    expect(store.getState().participants.map((p) => p.displayName)).toEqual(["Ada L", "Bob"]);

    act().peerLeft({ peerId: bob.peerId, reason: "connection-lost" }, 4);
    act().peerLeft({ peerId: bob.peerId, reason: "left" }, 5); // already gone: nothing
    expect(store.getState().participants.map((p) => p.peerId)).toEqual([ada.peerId]);
    expect(selectLatestNotice(store.getState())).toMatchObject({ kind: "left", name: "Bob", reason: "connection-lost", at: 4 });
    expect(store.getState().notices).toHaveLength(3);
  });

  it("participant views put us first, name placeholders for nameless peers, and keep identity while unchanged", () => {
    act().roomEntered({ me: "12D3KooWMe000000", displayName: "Me" });
    act().peerJoined({ peerId: "12D3KooWNoName99", displayName: undefined, broadcasts: [] });
    const views = selectParticipantViews(store.getState());
    expect(views).toEqual([
      { peerId: "12D3KooWMe000000", name: "Me", initials: "M", self: true },
      { peerId: "12D3KooWNoName99", name: "Guest NoName99", initials: "GN", self: false },
    ]);
    expect(selectParticipantViews(store.getState())).toBe(views);
    expect(selectHeadcount(store.getState())).toBe(2);
  });

  it("back to idle clears the room, its chat and media, but keeps who we are", () => {
    act().roomEntered({ me: "12D3KooWMe000000", displayName: "Me" });
    act().connectionChanged("joined");
    act().peerJoined(ada);
    act().chatReceived({ id: "x", from: ada.peerId, text: "hi", at: 1, history: false, self: false });
    act().broadcastSubscribed({ peerId: ada.peerId, name: "camera" });
    act().connectionChanged("leaving");
    expect(store.getState().participants).toHaveLength(1);
    act().connectionChanged("idle");
    const s = store.getState();
    expect(s).toMatchObject({ participants: [], notices: [], messages: [], liveBroadcasts: [], me: undefined });
    expect(s.identity?.displayName).toBe("Me");
  });

  it("a ticket offered from outside is kept for the lobby until we enter a room", () => {
    act().ticketOpened("roomabc");
    expect(store.getState().offeredTicket).toBe("roomabc");
    act().roomEntered({ me: "m", displayName: "Me" });
    expect(store.getState().offeredTicket).toBeUndefined();
  });

  it("reattaching to the core starts from a clean room, keeping identity", () => {
    act().connectionChanged("joined");
    act().peerJoined(ada);
    act().transportChanged("reconnecting");
    act().coreReattached();
    expect(store.getState()).toMatchObject({ connection: "idle", participants: [], transport: "open" });
    expect(store.getState().identity?.peerId).toBe("12D3KooWMe000000");
  });

  it("keeps how each participant is reached, forgets it when they leave, and says it in words", () => {
    act().peerJoined({ peerId: "p1", displayName: "Ada", broadcasts: [] });
    act().peerLinkChanged({ peerId: "p1", link: { state: "connected", path: "relayed" } });
    expect(linkText(store.getState().links.p1)).toBe("relayed");
    act().peerLinkChanged({ peerId: "p1", link: { state: "connected", path: "direct", rttMs: 2.6 } });
    expect(linkText(store.getState().links.p1)).toBe("direct · 3 ms");
    act().peerLinkChanged({ peerId: "p1", link: { state: "reconnecting" } });
    expect(linkText(store.getState().links.p1)).toBe("reconnecting…");
    act().peerLeft({ peerId: "p1", reason: "connection-lost" });
    expect(store.getState().links).toEqual({});
    expect(linkText(undefined)).toBe("");
  });
});
