/** Media through the room with real nodes in one process: hostile catalogs drop one broadcast, nothing else. */
import { generateKeyPair } from "@libp2p/crypto/keys";
import * as Moq from "@moq/net";
import { afterEach, describe, expect, it } from "vitest";
import { RoomTicket } from "../../shared/ticket.ts";
import type { Log } from "../log.ts";
import { LocalBroadcast } from "../media/local-broadcast.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { MOQ_PROTOCOL } from "../moq/transport.ts";
import { createRoomsNode, type RoomsNode } from "../net/node.ts";
import type { RoomEvent } from "./events.ts";
import { Room } from "./room.ts";
import { until } from "../../test/until.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function captureLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const rec = (msg: string, f?: Record<string, unknown>): void => void lines.push(`${msg} ${JSON.stringify(f ?? {})}`);
  return { lines, debug: rec, info: rec, warn: rec };
}

async function join(ticket: RoomTicket, log: Log = captureLog()): Promise<{ room: Room; events: RoomEvent[]; node: RoomsNode }> {
  const privateKey = await generateKeyPair("Ed25519");
  const node = await createRoomsNode({ privateKey, listen: ["/ip4/127.0.0.1/tcp/0"] });
  const media = await createRoomMedia(node, log);
  const room = await Room.join({ node, privateKey, log, media }, { ticket });
  cleanups.push(async () => node.stop(), () => media.close(), () => room.abandon());
  const events: RoomEvent[] = [];
  void (async () => {
    for await (const ev of room) events.push(ev);
  })();
  return { room, events, node };
}


/** A broadcast whose catalog.json is whatever bytes we say. */
function rawBroadcast(catalog: Uint8Array): { producer: Moq.Broadcast.Producer; setCatalog: (b: Uint8Array) => void } {
  const producer = new Moq.Broadcast.Producer();
  const track = producer.createTrack("catalog.json", { priority: 100 });
  const setCatalog = (b: Uint8Array): void => {
    const g = track.appendGroup();
    g.writeFrame({ payload: b, timestamp: Moq.Time.Timestamp.fromMicros(0) });
    g.close();
  };
  setCatalog(catalog);
  return { producer, setCatalog };
}

describe("room media with hostile catalogs", () => {
  it("a malformed catalog drops that broadcast with a logged reason; the peer's other broadcast and chat still work", async () => {
    const a = await join(RoomTicket.generate());
    const bLog = captureLog();
    const b = await join(a.room.ticket(), bLog);
    const bad = rawBroadcast(new TextEncoder().encode('{"video": {"renditions": "not an object"}}'));
    await a.room.handle.publish("bad", { producer: bad.producer, closed: bad.producer.closed });
    const good = new LocalBroadcast();
    const chat = good.enableChat();
    await a.room.handle.publish("camera", good);
    await a.room.handle.setChatPublisher(chat);
    const me = a.room.handle.me;
    await until(() => b.events.find((e) => e.type === "BroadcastSubscribed" && e.remote === me && e.name === "camera"), "good subscribed");
    await a.room.handle.sendChat("still here");
    await until(() => b.events.find((e) => e.type === "ChatReceived" && e.text === "still here"), "chat");
    await until(() => bLog.lines.some((l) => l.includes("subscription failed") && l.includes("bad") && l.includes("catalog rejected")), "logged reason");
    expect(b.events.some((e) => e.type === "BroadcastSubscribed" && e.name === "bad")).toBe(false);
  });

  it("a catalog that turns malformed after subscription ends that broadcast only", async () => {
    const a = await join(RoomTicket.generate());
    const b = await join(a.room.ticket());
    const raw = rawBroadcast(new TextEncoder().encode("{}"));
    await a.room.handle.publish("flaky", { producer: raw.producer, closed: raw.producer.closed });
    const me = a.room.handle.me;
    await until(() => b.events.find((e) => e.type === "BroadcastSubscribed" && e.name === "flaky"), "subscribed");
    raw.setCatalog(new Uint8Array([0xff, 0xfe, 0x00]));
    const ended = await until(() => b.events.find((e) => e.type === "BroadcastEnded" && e.name === "flaky"), "ended");
    expect(ended).toMatchObject({ remote: me });
    expect(ended.type === "BroadcastEnded" && ended.reason).toMatch(/malformed catalog/);
    expect(b.events.some((e) => e.type === "PeerLeft")).toBe(false);
  });

  it("a chat track enabled after we subscribed is still picked up (iroh-live misses it)", async () => {
    const a = await join(RoomTicket.generate());
    const b = await join(a.room.ticket());
    const cam = new LocalBroadcast();
    await a.room.handle.publish("camera", cam);
    await until(() => b.events.find((e) => e.type === "BroadcastSubscribed" && e.name === "camera"), "subscribed without chat");
    const sub = b.events.find((e) => e.type === "BroadcastSubscribed");
    expect(sub?.type === "BroadcastSubscribed" && sub.catalog.chat).toBeUndefined();
    await a.room.handle.setChatPublisher(cam.enableChat());
    await a.room.handle.sendChat("now with chat");
    const msg = await until(() => b.events.find((e) => e.type === "ChatReceived"), "chat after catalog update");
    expect(msg).toMatchObject({ text: "now with chat", remote: a.room.handle.me });
  });
});

describe("chat across a dropped session", () => {
  it("a session that drops and comes back replays history, and no message shows twice", async () => {
    const a = await join(RoomTicket.generate());
    const b = await join(a.room.ticket());
    const cam = new LocalBroadcast();
    await a.room.handle.publish("camera", cam);
    await a.room.handle.setChatPublisher(cam.enableChat());
    for (const text of ["one", "two"]) await a.room.handle.sendChat(text);
    await until(() => b.events.find((e) => e.type === "ChatReceived" && e.text === "two"), "first messages");
    const subscribed = (): number => b.events.filter((e) => e.type === "BroadcastSubscribed" && e.name === "camera").length;
    expect(subscribed()).toBe(1);
    // Cut only the MoQ session (the libp2p connection stays): the subscription ends and is made again,
    // and the new subscription starts from the sender's cached history.
    for (const conn of b.node.getConnections(a.node.peerId)) for (const st of conn.streams) if (st.protocol === MOQ_PROTOCOL) st.abort(new Error("test: session cut"));
    await until(() => subscribed() === 2, "resubscribed", 30_000);
    await a.room.handle.sendChat("three");
    await until(() => b.events.find((e) => e.type === "ChatReceived" && e.text === "three"), "message after the cut");
    const texts = b.events.flatMap((e) => (e.type === "ChatReceived" ? [e.text] : []));
    expect(texts).toEqual(["one", "two", "three"]);
    expect(b.events.some((e) => e.type === "PeerLeft")).toBe(false);
  });
});
