import { describe, expect, it } from "vitest";
import type { AppApi, EventName, MainToRenderer } from "../shared/ipc.ts";
import { startBridge } from "./bridge.ts";
import type { TransportListener, TransportSource } from "./socket-api.ts";
import { createAppStore } from "./store/index.ts";

/** An AppApi double that records calls and lets the test emit events. */
function fakeApi() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const ok = <T,>(value: T) => Promise.resolve({ ok: true as const, value });
  const api = {
    rendererReady: () => (calls.push("rendererReady"), ok(undefined)),
    getIdentity: () => (calls.push("getIdentity"), ok({ peerId: "me", displayName: "Me", suggestedName: "Guest", dataDir: "/data" })),
    createRoom: () => ok({ ticket: "t", me: "me" }),
    joinRoom: () => ok({ ticket: "t", me: "me" }),
    leaveRoom: () => ok(undefined),
    setDisplayName: () => ok(undefined),
    sendChat: () => ok({ id: "1", from: "me", text: "", at: 0, history: false, self: true }),
    getTicket: () => ok("t"),
    resetIdentity: () => ok({ peerId: "new", displayName: "Me", suggestedName: "Guest", dataDir: "/data" }),
    pickScreenSource: () => ok(undefined),
    openMediaLink: () => ok(undefined),
    getSettings: () => ok({ devices: {}, relays: [], stun: [], mdns: false }),
    updateSettings: () => ok({ devices: {}, relays: [], stun: [], mdns: false }),
    on<K extends EventName>(event: K, l: MainToRenderer[K]) {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(l as (p: unknown) => void);
      return () => void set.delete(l as (p: unknown) => void);
    },
  } satisfies AppApi;
  const emit = <K extends EventName>(event: K, payload: Parameters<MainToRenderer[K]>[0]): void => listeners.get(event)?.forEach((l) => l(payload));
  return { api, emit, calls, listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("bridge", () => {
  it("subscribes, says ready, loads identity, and turns events into store actions", async () => {
    const store = createAppStore();
    const { api, emit, calls } = fakeApi();
    startBridge(api, store.getState().actions);
    await settle();
    expect(calls).toEqual(["rendererReady", "getIdentity"]);
    expect(store.getState().identity).toEqual({ peerId: "me", displayName: "Me", suggestedName: "Guest", dataDir: "/data" });
    emit("connectionChanged", "joined");
    emit("peerJoined", { peerId: "a", displayName: "Ada", broadcasts: [] });
    emit("chatReceived", { id: "a/1", from: "a", text: "hi", at: 1, history: false, self: false });
    emit("ticketOpened", { ticket: "roomx" });
    emit("broadcastSubscribed", { peerId: "a", name: "camera" });
    emit("peerLeft", { peerId: "a", reason: "left" });
    const s = store.getState();
    expect(s.connection).toBe("joined");
    expect(s.notices.map((n) => n.kind)).toEqual(["joined", "left"]);
    expect(s.messages).toHaveLength(1);
    expect(s.offeredTicket).toBe("roomx");
  });

  it("unsubscribes everything it subscribed", () => {
    const { api, listenerCount } = fakeApi();
    const stop = startBridge(api, createAppStore().getState().actions);
    expect(listenerCount()).toBeGreaterThan(0);
    stop();
    expect(listenerCount()).toBe(0);
  });

  it("after the socket comes back it clears the room and says ready again", async () => {
    const store = createAppStore();
    const { api, emit, calls } = fakeApi();
    let push: TransportListener = () => undefined;
    const transport: TransportSource = { subscribe: (l) => ((push = l), () => undefined) };
    startBridge(api, store.getState().actions, transport);
    push("open");
    await settle();
    emit("connectionChanged", "joined");
    emit("peerJoined", { peerId: "a", displayName: "Ada", broadcasts: [] });
    push("reconnecting");
    expect(store.getState().transport).toBe("reconnecting");
    push("open");
    await settle();
    expect(store.getState().participants).toEqual([]);
    expect(calls.filter((c) => c === "rendererReady")).toHaveLength(2);
  });
});
