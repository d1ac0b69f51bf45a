import { beforeEach, describe, expect, it } from "vitest";
import { createAppStore, type AppStore } from "../index.ts";
import { MAX_MESSAGES } from "./state.ts";
import { noticeText, selectTimeline } from "./selectors.ts";

let store: AppStore;
const act = () => store.getState().actions;
const ME = "12D3KooWMe000000";
const ADA = "12D3KooWAda00001";

beforeEach(() => {
  store = createAppStore();
  act().identityLoaded({ peerId: ME, displayName: "Me", suggestedName: "Guest", dataDir: "/data" });
  act().roomEntered({ me: ME, displayName: "Me" });
  act().connectionChanged("joined");
});

describe("chat slice", () => {
  it("local echo: sending, then sent with the echo's id and time", () => {
    act().chatSendStarted({ localId: "local-1", from: ME, text: "hello", at: 10 });
    expect(selectTimeline(store.getState())).toMatchObject([{ kind: "chat", sender: "Me", self: true, text: "hello", status: "sending" }]);
    act().chatSendSucceeded("local-1", { id: `${ME}/0`, from: ME, text: "hello", at: 11, history: false, self: true });
    expect(store.getState().messages).toEqual([{ id: `${ME}/0`, from: ME, text: "hello", at: 11, history: false, self: true, status: "sent" }]);
  });

  it("a failed send keeps the text and says why", () => {
    act().chatSendStarted({ localId: "local-2", from: ME, text: "lost", at: 10 });
    act().chatSendFailed("local-2", "chat is not available");
    expect(selectTimeline(store.getState())[0]).toMatchObject({ status: "failed", error: "chat is not available", text: "lost" });
  });

  it("received messages carry the sender's current name, and keep it after they leave", () => {
    act().peerJoined({ peerId: ADA, displayName: "Ada", broadcasts: [] }, 1);
    act().chatReceived({ id: `${ADA}/r1`, from: ADA, text: "hi <b>all</b> https://x.example", at: 2, history: false, self: false });
    act().chatReceived({ id: `${ADA}/r1`, from: ADA, text: "hi <b>all</b> https://x.example", at: 2, history: false, self: false });
    act().peerLeft({ peerId: ADA, reason: "left" }, 3);
    const t = selectTimeline(store.getState());
    expect(t.map((i) => (i.kind === "chat" ? `${i.sender}: ${i.text}` : i.text))).toEqual(["Ada joined", "Ada: hi <b>all</b> https://x.example", "Ada left"]);
  });

  it("a message from someone never seen gets a placeholder name", () => {
    act().chatReceived({ id: "z", from: "12D3KooWStrangerX", text: "boo", at: 1, history: true, self: false });
    expect(selectTimeline(store.getState())[0]).toMatchObject({ sender: "Guest trangerX", history: true });
  });

  it("orders the timeline by time and is memoized while nothing changes", () => {
    act().chatReceived({ id: "b", from: ADA, text: "later", at: 20, history: false, self: false });
    act().chatReceived({ id: "a", from: ADA, text: "earlier (history)", at: 5, history: true, self: false });
    const t = selectTimeline(store.getState());
    expect(t.map((i) => i.at)).toEqual([5, 20]);
    expect(selectTimeline(store.getState())).toBe(t);
  });

  it("keeps at most MAX_MESSAGES", () => {
    for (let i = 0; i < MAX_MESSAGES + 5; i++) act().chatReceived({ id: `m${i}`, from: ADA, text: String(i), at: i, history: false, self: false });
    const msgs = store.getState().messages;
    expect(msgs).toHaveLength(MAX_MESSAGES);
    expect(msgs[0]!.text).toBe("5");
  });

  it("notice words say why someone left", () => {
    expect(noticeText({ id: "1", kind: "left", peerId: ADA, name: "Ada", reason: "connection-lost", at: 0 })).toBe("Ada lost connection");
    expect(noticeText({ id: "2", kind: "left", peerId: ADA, name: "Ada", reason: "expired", at: 0 })).toBe("Ada timed out");
    expect(noticeText({ id: "3", kind: "joined", peerId: ADA, name: "Ada", at: 0 })).toBe("Ada joined");
  });
});
